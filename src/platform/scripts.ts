// Pure: the script rule of a domain label, UTS #39 "highly restrictive" (section 5.2): a label is
// written in one script (characters of the Common and Inherited scripts go with any), or only in
// Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, or Latin + Han + Hangul. A label that
// mixes Latin with Cyrillic ("bѕecret", with a Cyrillic dze) or Greek is refused: it would pass for
// another name. Scripts are those of the characters' Script_Extensions, as Unicode defines them.

// Every four-letter script code the regular expressions of this Node know (Common, Inherited and
// Unknown apart); a code this runtime does not know is left out rather than failing at load.
const CODES = (
  'Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Berf Bhks Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Chrs Copt ' +
  'Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm Goth Gran Grek Gujr Gukh Guru Hang Hani Hano ' +
  'Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb ' +
  'Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Miao Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo ' +
  'Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw ' +
  'Shrd Sidd Sidt Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo Telu Tfng Tglg Thaa Thai ' +
  'Tibt Tirh Tnsa Todr Tols Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb'
).split(' ');

/** The scripts' regular expressions, compiled at the first non-ASCII label (170 of them: 30 ms of every CLI command's start). */
let compiled: Array<[string, RegExp]> | null = null;
const scriptPatterns = () =>
  (compiled ??= CODES.flatMap((code) => {
    try {
      return [[code, new RegExp(`^\\p{scx=${code}}$`, 'u')] as [string, RegExp]];
    } catch (e) {
      if (e instanceof SyntaxError) return []; // a script this runtime's Unicode version does not have
      throw e;
    }
  }));

const anyScript = /^[\p{scx=Zyyy}\p{scx=Zinh}]$/u;

const known = new Map<string, Set<string> | null>();

/** The scripts a character belongs to (its Script_Extensions); null for Common and Inherited. */
function scriptsOf(char: string): Set<string> | null {
  if (/^[a-zA-Z]$/.test(char)) return new Set(['Latn']);
  let s = known.get(char);
  if (s === undefined) {
    s = anyScript.test(char) ? null : new Set(scriptPatterns().filter(([, re]) => re.test(char)).map(([code]) => code));
    if (known.size < 10_000) known.set(char, s);
  }
  return s;
}

const ALLOWED_MIXES = [['Latn', 'Hani', 'Hira', 'Kana'], ['Latn', 'Hani', 'Bopo'], ['Latn', 'Hani', 'Hang']].map((m) => new Set(m));

/** The scripts a label uses, when they break the "highly restrictive" rule; null when the label is fine. */
export function mixedScripts(label: string): string[] | null {
  if (/^[\x00-\x7f]*$/.test(label)) return null; // ASCII: Latin and Common only
  const sets: Array<Set<string>> = [];
  for (const char of label) {
    const s = scriptsOf(char);
    if (s) sets.push(s);
  }
  if (!sets.length) return null;
  // single script: one script common to every character
  const common = [...sets[0]].filter((code) => sets.every((s) => s.has(code)));
  if (common.length) return null;
  if (ALLOWED_MIXES.some((mix) => sets.every((s) => [...s].some((code) => mix.has(code))))) return null;
  // name the scripts seen (the first script of each character)
  return [...new Set(sets.map((s) => [...s][0] ?? 'Zzzz'))].sort();
}
