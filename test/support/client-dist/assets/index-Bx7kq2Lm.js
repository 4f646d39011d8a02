globalThis.pagewireTestBuild = true;
