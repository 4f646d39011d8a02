import { GraphError } from './errors';
import { isRecord } from './params';
import { length } from './text-length';

const at = (path: string) => `message[attachment][payload]${path}`;

/** Template limits from the Send API reference (MESSENGER-PLATFORM.md §2). */
export function validateTemplate(payload: Record<string, unknown>): void {
  switch (payload.template_type) {
    case 'generic':
      return validateGeneric(payload);
    case 'button':
      return validateButtonTemplate(payload);
    case 'media':
      return validateMedia(payload);
    case 'one_time_notif_req':
    case 'notification_messages':
      return maxLength(payload.title, 65, at('[title]'), true);
    default:
      throw GraphError.invalid(
        `param ${at('[template_type]')} must be one of {generic, button, media, one_time_notif_req, notification_messages}`,
      );
  }
}

function validateGeneric(payload: Record<string, unknown>): void {
  const elements = payload.elements;
  if (!Array.isArray(elements) || elements.length === 0)
    throw GraphError.invalid(`param ${at('[elements]')} is required`);
  if (elements.length > 10)
    throw GraphError.invalid(`param ${at('[elements]')} must have at most 10 elements`);
  elements.forEach((element: unknown, index) => {
    const path = at(`[elements][${index}]`);
    if (!isRecord(element)) throw GraphError.invalid(`param ${path} must be a JSON object`);
    maxLength(element.title, 80, `${path}[title]`, true);
    maxLength(element.subtitle, 80, `${path}[subtitle]`, false);
    if (element.buttons !== undefined) validateButtons(element.buttons, `${path}[buttons]`, 0);
  });
}

function validateButtonTemplate(payload: Record<string, unknown>): void {
  maxLength(payload.text, 640, at('[text]'), true);
  validateButtons(payload.buttons, at('[buttons]'), 1);
}

function validateMedia(payload: Record<string, unknown>): void {
  const elements = payload.elements;
  if (!Array.isArray(elements) || elements.length !== 1) {
    throw GraphError.invalid(`param ${at('[elements]')} must have exactly 1 element`);
  }
  const element: unknown = elements[0];
  const path = at('[elements][0]');
  if (!isRecord(element)) throw GraphError.invalid(`param ${path} must be a JSON object`);
  if (element.media_type !== 'image' && element.media_type !== 'video') {
    throw GraphError.invalid(`param ${path}[media_type] must be one of {image, video}`);
  }
  if ((element.attachment_id === undefined) === (element.url === undefined)) {
    throw GraphError.invalid(`param ${path} must have exactly one of attachment_id or url`);
  }
  if (typeof element.url === 'string' && !isFacebookUrl(element.url)) {
    throw GraphError.invalid(`param ${path}[url] must be a Facebook URL`);
  }
  if (element.buttons !== undefined) validateButtons(element.buttons, `${path}[buttons]`, 0);
}

function validateButtons(buttons: unknown, path: string, min: number): void {
  if (!Array.isArray(buttons) || buttons.length < min || buttons.length > 3) {
    throw GraphError.invalid(`param ${path} must have between ${min} and 3 buttons`);
  }
  buttons.forEach((button: unknown, index) => {
    const buttonPath = `${path}[${index}]`;
    if (!isRecord(button)) throw GraphError.invalid(`param ${buttonPath} must be a JSON object`);
    maxLength(button.title, Infinity, `${buttonPath}[title]`, true);
    if (button.type === 'web_url') {
      if (typeof button.url !== 'string' || !/^https?:\/\//.test(button.url)) {
        throw GraphError.invalid(`param ${buttonPath}[url] must be a valid URL`);
      }
    } else if (button.type === 'postback') {
      maxLength(button.payload, 1000, `${buttonPath}[payload]`, true);
    } else if (
      button.type !== 'phone_number' &&
      button.type !== 'account_link' &&
      button.type !== 'account_unlink'
    ) {
      throw GraphError.invalid(`param ${buttonPath}[type] must be one of {web_url, postback, phone_number}`);
    }
  });
}

function maxLength(value: unknown, max: number, path: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value === '')
    throw GraphError.invalid(`param ${path} must be a non-empty string`);
  if (length(value) > max)
    throw GraphError.invalid(`Length of param ${path} must be less than or equal to ${max}`);
}

function isFacebookUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return (
      host === 'facebook.com' ||
      host.endsWith('.facebook.com') ||
      host === 'fb.com' ||
      host.endsWith('.fb.com')
    );
  } catch {
    return false;
  }
}
