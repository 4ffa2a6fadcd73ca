// Node runner for the scoring vectors: reads {items, quizzes, shuffles, draws, stratified} in player form on stdin,
// scores them with the player's own core.js and prints the results as JSON.
const CK = require(process.argv[2]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {
  items: input.items.map((v) => ({ credit: CK.credit(v.item, v.salt, v.response), points: CK.points(v.item, v.salt, v.response) })),
  quizzes: input.quizzes.map((q) => {
    const pct = CK.percentage(q.items, q.salts, q.responses);
    return { percentage: pct, passed: pct >= q.pass_mark };
  }),
  shuffles: input.shuffles.map((s) => CK.shuffled(s.values, s.seed)),
  draws: input.draws.map((d) => CK.draw(d.ids, d.n, d.seed)),
  stratified: (input.stratified || []).map((d) => CK.stratifiedDraw(d.pool, d.per_objective, d.total, d.seed)),
};
process.stdout.write(JSON.stringify(out));
