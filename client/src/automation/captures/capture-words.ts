import type { Capture } from '../../api/automation';

export function targetWords(capture: Pick<Capture, 'target'>): string {
  switch (capture.target.kind) {
    case 'new_post':
      return `The post it published: “${capture.target.post?.message ?? capture.target.postId}”`;
    case 'existing_post':
      return `The post ${capture.target.postId}`;
    case 'any_post':
      return 'Any post of the Page';
  }
}
