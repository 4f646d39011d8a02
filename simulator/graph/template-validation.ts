import type { PolicySettings } from '../settings';
import { GraphError } from './errors';
import { isRecord } from './params';
import { length } from './text-length';

const at = (path: string) => `message[attachment][payload]${path}`;

/** The button limits, which the docs leave UNCONFIRMED, come from settings. */
export type ButtonLimits = Pick<PolicySettings, 'buttonTitleMaxLength' | 'buttonPayloadMaxLength'>;

const TEMPLATE_TYPES = 'generic, button, media, utility, one_time_notif_req, notification_messages';

/** Template limits from the Send API reference (docs/messenger-platform.md §2). */
export function validateTemplate(payload: Record<string, unknown>, limits: ButtonLimits): void {
  switch (payload.template_type) {
    case 'generic':
      return validateGeneric(payload, limits);
    case 'button':
      return validateButtonTemplate(payload, limits);
    case 'media':
      return validateMedia(payload, limits);
    case 'utility':
      return validateUtility(payload);
    case 'one_time_notif_req':
    case 'notification_messages':
      return maxLength(payload.title, 65, at('[title]'), true);
    default:
      throw GraphError.invalid(`param ${at('[template_type]')} must be one of {${TEMPLATE_TYPES}}`);
  }
}

/**
 * A utility template names an approved template and fills its placeholders. The exact send shape is UNCONFIRMED
 * (the doc says only "template-based"); the simulator asks for a `name` and, when given, a `language` (string or `{code}`) and a
 * `components` array, and does not simulate approval.
 */
function validateUtility(payload: Record<string, unknown>): void {
  maxLength(payload.name, Infinity, at('[name]'), true);
  if (payload.language !== undefined && typeof payload.language !== 'string' && !isRecord(payload.language)) {
    throw GraphError.invalid(`param ${at('[language]')} must be a string or {code}`);
  }
  if (payload.components !== undefined && !Array.isArray(payload.components)) {
    throw GraphError.invalid(`param ${at('[components]')} must be an array`);
  }
}

function validateGeneric(payload: Record<string, unknown>, limits: ButtonLimits): void {
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
    if (element.buttons !== undefined) validateButtons(element.buttons, `${path}[buttons]`, 0, limits);
  });
}

function validateButtonTemplate(payload: Record<string, unknown>, limits: ButtonLimits): void {
  maxLength(payload.text, 640, at('[text]'), true);
  validateButtons(payload.buttons, at('[buttons]'), 1, limits);
}

function validateMedia(payload: Record<string, unknown>, limits: ButtonLimits): void {
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
  if (element.buttons !== undefined) validateButtons(element.buttons, `${path}[buttons]`, 0, limits);
}

/** Account linking buttons carry no title; every other button shows one. */
const UNTITLED_BUTTONS = ['account_link', 'account_unlink'];

function validateButtons(buttons: unknown, path: string, min: number, limits: ButtonLimits): void {
  if (!Array.isArray(buttons) || buttons.length < min || buttons.length > 3) {
    throw GraphError.invalid(`param ${path} must have between ${min} and 3 buttons`);
  }
  buttons.forEach((button: unknown, index) => {
    const buttonPath = `${path}[${index}]`;
    if (!isRecord(button)) throw GraphError.invalid(`param ${buttonPath} must be a JSON object`);
    if (!UNTITLED_BUTTONS.includes(String(button.type)) || button.title !== undefined) {
      maxLength(button.title, limits.buttonTitleMaxLength, `${buttonPath}[title]`, true);
    }
    if (button.type === 'web_url') {
      if (typeof button.url !== 'string' || !/^https?:\/\//.test(button.url)) {
        throw GraphError.invalid(`param ${buttonPath}[url] must be a valid URL`);
      }
    } else if (button.type === 'postback') {
      maxLength(button.payload, limits.buttonPayloadMaxLength, `${buttonPath}[payload]`, true);
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
