// The /lapor page's progressive enhancement. The page works without it (a plain form post); with it,
// the proof-of-work challenge is solved in the background (see below).
export {};
