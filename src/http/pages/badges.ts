// A state word as a coloured badge: feed health, expectation states, delivery outcomes.
import { html, type Html } from './html';

export function stateBadge(state: string): Html {
  return html`<span class="state state-${state.replace(/\s+/g, '-')}">${state}</span>`;
}
