// Customer-service words AFINN-165 lacks or weighs for other contexts (AFINN scale, -5..5).
// Tuned on the "dev" split of data/labelled-comments.jsonl; the "test" split is held out.
export const EN_CUSTOMER_SERVICE_TERMS: Record<string, number> = {
  // delivery and product problems
  late: -2, delayed: -2, delay: -2, delays: -2, slow: -2, slowly: -1, overdue: -2, missing: -2, lost: -2,
  damaged: -3, defective: -3, faulty: -3, broken: -3, cracked: -2, scratched: -2, leaking: -2, stopped: -1,
  wrong: -2, incorrect: -2, error: -2, errors: -2, crash: -2, crashes: -2, crashed: -2, bug: -2, bugs: -2,
  overcharged: -3, overpriced: -2, expensive: -1, charged: -1, refund: -1, refunds: -1, return: -1,
  cancel: -1, cancelled: -1, canceled: -1, cancelling: -2, unsubscribe: -1, complaint: -2, complain: -2,
  escalate: -2, escalated: -2, waiting: -1, waited: -2, wait: -1, hold: -1, ignored: -3, unanswered: -2,
  rude: -3, unhelpful: -3, unprofessional: -3, incompetent: -3, useless: -3, nightmare: -4, hassle: -2,
  unacceptable: -3, ridiculous: -3, joke: -2, worst: -4, never: 0, again: 0, still: 0, unresolved: -2,
  disappointing: -3, disappointed: -3, frustrating: -3, frustrated: -3, annoyed: -2, confusing: -2,
  misleading: -3, scam: -4, ripoff: -4, mediocre: -1, meh: -1, average: -1, okay: 1, ok: 1, fine: 1,
  // service praise
  helpful: 2, friendly: 2, polite: 2, patient: 2, courteous: 2, professional: 2, knowledgeable: 2,
  quick: 2, quickly: 2, fast: 2, prompt: 2, promptly: 2, efficient: 2, smooth: 2, seamless: 3, easy: 2,
  easily: 2, effortless: 3, resolved: 2, solved: 2, sorted: 2, fixed: 2, reliable: 2, recommend: 2,
  recommended: 2, recommending: 2, smoothly: 2, thanked: 2, stars: 1, received: 1, love: 3, loved: 3, perfect: 3, perfectly: 3, exceeded: 3, thanks: 2, thank: 2,
  arrived: 1, 'on-time': 2, works: 1, worked: 1, working: 1, value: 1, loyal: 2, delighted: 3,
  // AFINN words that mislead in service talk
  like: 1, please: 0, help: 0, want: 0, pretty: 0, kind: 0, care: 0, support: 0, block: 0,
  charges: -1, charge: -1, hang: 0, free: 0, gift: 0, promised: 0, promise: 0,
};
