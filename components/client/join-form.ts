/**
 * <join-form>: the attendee's way in. Code (from ?code= or typed) + display name → POST /api/join →
 * the learner session is handed to the lab pages and the browser goes to the lab. Coming back later
 * resumes the same attendee and sandbox (resume key); a full, closed or ended class says so plainly.
 */
import type { ApiError } from '../../protocol/errors.ts';
import type { JoinResult, JoinState } from '../../protocol/instructor.ts';
import { esc } from './instructor-api.ts';
import { attendance, forget, learnerToken, remember, resumeKeyFor } from './join-attendance.ts';
import { serverAvailable } from './session.ts';

class JoinForm extends HTMLElement {
  connectedCallback(): void {
    void this.render();
  }

  private async render(): Promise<void> {
    if (!(await serverAvailable())) {
      this.innerHTML = `<p class="jn-static" data-testid="needs-server">This copy of Travels Labs is the static documentation: there
        is no lab server behind it, so there is no workshop to join here. Ask your instructor for the workshop's own
        address. The chapters read fine without a server, with recorded output.</p>`;
      return;
    }
    const mine = attendance();
    const token = learnerToken();
    if (mine && token) {
      const res = await fetch('/api/join/state', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' }).catch(() => undefined);
      if (res?.ok) return this.lobby(mine.title, mine.name);
    }
    const code = new URLSearchParams(location.search).get('code') ?? mine?.code ?? '';
    this.innerHTML = `<form class="jn-form" novalidate>
      <label>Access code <input name="code" required autocomplete="off" autocapitalize="characters" spellcheck="false" value="${esc(code)}"></label>
      <label>Your name, as the instructor will see it <input name="name" required maxlength="40" autocomplete="nickname" value="${esc(mine?.name ?? '')}"></label>
      <button type="submit">Join the workshop</button>
      <p class="jn-error" role="alert" data-testid="join-error" hidden></p>
    </form>`;
    this.querySelector('form')!.addEventListener('submit', (e) => void this.submit(e));
  }

  private lobby(title: string, name: string): void {
    this.innerHTML = `<div class="jn-lobby" data-testid="join-lobby">
      <p>You are in <strong>${esc(title)}</strong> as <strong>${esc(name)}</strong>.</p>
      <p><a class="jn-continue" href="#" data-testid="continue">Continue the lab →</a></p>
      <p><button type="button" data-testid="leave">Join another workshop</button></p>
    </div>`;
    this.querySelector('[data-testid="continue"]')!.addEventListener('click', async (e) => {
      e.preventDefault();
      const state = (await fetch('/api/join/state', { headers: { authorization: `Bearer ${learnerToken()}` } }).then((r) => r.json()).catch(() => undefined)) as { value?: JoinState } | undefined;
      const target = state?.value?.workshop?.targetChapter ?? 1;
      location.assign(state?.value?.chapters?.[target - 1]?.url ?? '/');
    });
    this.querySelector('[data-testid="leave"]')!.addEventListener('click', () => {
      forget();
      void this.render();
    });
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const code = String(f.get('code') ?? '').trim();
    const name = String(f.get('name') ?? '').trim();
    const err = this.querySelector<HTMLElement>('.jn-error')!;
    if (!code || !name) return this.error(err, 'Enter the access code and your name.');
    const resumeKey = resumeKeyFor(code);
    const button = form.querySelector('button')!;
    button.disabled = true;
    button.textContent = 'Preparing your lab…';
    const token = learnerToken();
    const res = await fetch('/api/join', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ code, name, resumeKey }),
    }).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { value?: JoinResult; error?: ApiError } | undefined;
    button.disabled = false;
    button.textContent = 'Join the workshop';
    if (!res?.ok || !body?.value) {
      return this.error(err, body?.error ? `${body.error.message}${body.error.hint ? ` ${body.error.hint}` : ''}` : 'The lab server did not answer. Try again in a moment.');
    }
    const v = body.value;
    remember({ code, name: v.attendee.displayName, resumeKey: v.resumeKey, attendeeId: v.attendee.id, workshopId: v.workshop.id, title: v.workshop.title }, v.session.token);
    location.assign(v.labUrl);
  }

  private error(el: HTMLElement, message: string): void {
    el.textContent = message;
    el.hidden = false;
  }
}

if (!customElements.get('join-form')) customElements.define('join-form', JoinForm);
