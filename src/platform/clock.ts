// Time, passed in: everything that depends on "now" (sessions, tokens, rate limits, renewals,
// retention, jobs) asks a Clock, so tests move time instead of sleeping.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, simulations). */
export class ManualClock implements Clock {
  private t: number;

  constructor(start: Date | string | number = Date.UTC(2026, 0, 1)) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  advance(ms: number): Date {
    this.t += ms;
    return this.now();
  }

  set(at: Date | string | number): Date {
    this.t = new Date(at).getTime();
    return this.now();
  }
}

export const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);
