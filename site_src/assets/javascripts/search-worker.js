/* Search worker for Material's search box, reading the split index of kb/search/index.py.
 *
 * Material talks to its search worker in four messages (SETUP 0, READY 1, QUERY 2, RESULT 3) and
 * renders whatever RESULT holds; this worker answers them from small files fetched on demand
 * instead of building a lunr index of the whole site first. A query reads meta.json once, one term
 * shard per query word, and the result files holding the pages it shows (several pages to a file).
 *
 * Matching and ranking follow Material's: every word matches by prefix (as it adds a trailing
 * wildcard), pages rank by their best document, a page above its sections, documents matching more
 * of the words first. Text is escaped here; only <mark> is added.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const MAX_PAGES = 50, FIRST_PAGES = 10, REST_AFTER_MS = 300;
const BASE = new URL("../../search/kb/", self.location.href);
const STOP = new Set(("a able about across after all almost also am among an and any are as at be because been " +
  "but by can cannot could dear did do does either else ever every for from get got had has have he her hers him " +
  "his how however i if in into is it its just least let like likely may me might most must my neither no nor not " +
  "of off often on only or other our own rather said say says she should since so some than that the their them " +
  "then there these they this tis to too twas us wants was we were what when where which while who whom why will " +
  "with would yet you your").split(" "));

let suggestWanted = false;
let meta = null;
const files = new Map();
let latest = 0;

function fetchJSON(path) {
  if (!files.has(path)) {
    files.set(path, fetch(new URL(path, BASE)).then(response => {
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return response.json();
    }).catch(error => { files.delete(path); throw error; }));
  }
  return files.get(path);
}

/* meta.json has each page's number of documents; a page's first document number is their running sum. */
function loadMeta() {
  if (!meta) {
    meta = fetchJSON("meta.json").then(index => {
      if (index.version !== 2) throw new Error(`search index version ${index.version}, this worker reads 2`);
      const starts = new Array(index.sizes.length);
      let number = 0;
      index.sizes.forEach((size, page) => { starts[page] = number; number += size; });
      return { ...index, starts };
    });
    meta.catch(() => { meta = null; });
  }
  return meta;
}

/* A shard's postings are (gap to the previous document, weight x 100) pairs; turned into document numbers once. */
const shards = new Map();
function loadShard(key) {
  if (!shards.has(key)) {
    shards.set(key, fetchJSON(`t/${key}.json`).then(shard => {
      for (const term in shard) {
        const postings = shard[term];
        for (let i = 2; i < postings.length; i += 2) postings[i] += postings[i - 2];
      }
      return shard;
    }));
    shards.get(key).catch(() => shards.delete(key));
  }
  return shards.get(key);
}

function words(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
}

function shardKey(term) {
  const head = Array.from(term).slice(0, 2).join("");
  return /^[a-z0-9]{1,2}$/.test(head) ? head : "x" + Array.from(head).map(c => c.codePointAt(0).toString(16)).join("-");
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function highlight(text, terms) {
  const escaped = escapeHTML(text);
  if (!terms.length) return escaped;
  const pattern = terms.map(t => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return escaped.replace(new RegExp(`(^|[^\\p{L}\\p{N}&#;])(${pattern})`, "giu"), "$1<mark>$2</mark>");
}

function pageOf(starts, doc) {
  let low = 0, high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= doc) low = middle; else high = middle - 1;
  }
  return low;
}

/* Terms of one query word: those in its shard that start with it (1-letter words: exact only). */
async function expand(word, index) {
  const key = shardKey(word);
  if (!index.shards.includes(key)) return [];
  const shard = await loadShard(key);
  if (word.length < 2) return shard[word] ? [[word, shard[word], 1]] : [];
  const found = [];
  for (const term in shard)
    if (term.startsWith(word)) found.push([term, shard[term], term === word ? 1 : 0.9]);
  return found;
}

async function search(query, ticket) {
  // Let queries already waiting in the message queue (keystrokes typed faster than this worker answers)
  // take over first: with the shards cached, nothing else here would yield before the result files load.
  await new Promise(resolve => setTimeout(resolve, 0));
  if (ticket !== latest) return;
  const index = await loadMeta();
  const all = [...new Set(words(query))];
  const meaningful = all.filter(word => !STOP.has(word));
  const longer = meaningful.filter(word => word.length > 1);  // the "t" of "doesn't" says nothing
  const wanted = longer.length ? longer : meaningful;
  if (!wanted.length) {
    if (ticket === latest) postMessage({ type: RESULT, data: { items: [] } });
    return;
  }
  const expansions = await Promise.all(wanted.map(word => expand(word, index)));
  const documents = index.documents;
  const scores = new Map(), matched = new Map();
  let bestExpansion = null;
  expansions.forEach((terms, position) => {
    const best = new Map();
    for (const [term, postings, factor] of terms) {
      const frequency = postings.length / 2;
      const idf = Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
      if (position === wanted.length - 1 && (!bestExpansion || frequency > bestExpansion[1])) bestExpansion = [term, frequency];
      for (let i = 0; i < postings.length; i += 2) {
        const value = postings[i + 1] / 100 * idf * factor;
        if (!(best.get(postings[i]) >= value)) best.set(postings[i], value);
      }
    }
    for (const [doc, value] of best) {
      scores.set(doc, (scores.get(doc) || 0) + value);
      matched.set(doc, (matched.get(doc) || 0) | (1 << Math.min(position, 30)));
    }
  });
  const starts = index.starts, perFile = index.pages_per_file;
  const ranked = [];
  for (const [doc, score] of scores) {
    const page = pageOf(starts, doc);
    const coverage = popcount(matched.get(doc)) / wanted.length;
    const boost = (starts[page] === doc ? 1 : 0) + coverage;
    ranked.push({ doc, page, score: score * (1 + boost * boost), mask: matched.get(doc) });
  }
  ranked.sort((a, b) => b.score - a.score);
  const groups = new Map();
  for (const hit of ranked) {
    if (!groups.has(hit.page)) {
      if (groups.size >= MAX_PAGES) continue;
      groups.set(hit.page, []);
    }
    groups.get(hit.page).push(hit);
  }
  if (ticket !== latest) return;  // a newer query came while the shards loaded
  const entries = [...groups];
  const answer = async count => {
    const shown = await Promise.all(entries.slice(0, count).map(([page]) => fetchJSON(`p/${Math.floor(page / perFile)}.json`)));
    const items = shown.map((records, position) => {
      const [page, hits] = entries[position];
      const first = starts[page - page % perFile];  // the file's first document
      const group = hits.map(hit => item(records[hit.doc - first], hit.score, hit.mask, wanted));
      if (!hits.some(hit => hit.doc === starts[page])) group.push(item(records[starts[page] - first], 0, 0, wanted));
      return group;
    });
    const result = { items };
    if (suggestWanted) result.suggest = bestExpansion ? [bestExpansion[0]] : [];
    if (ticket === latest) postMessage({ type: RESULT, data: result });
  };
  await answer(FIRST_PAGES);  // Material shows ten results at once and the rest as one scrolls
  if (entries.length <= FIRST_PAGES) return;
  // The rest only for a query still standing a moment later: while one types, each keystroke's query
  // would otherwise fetch the result files of forty more pages that the next keystroke throws away.
  await new Promise(resolve => setTimeout(resolve, REST_AFTER_MS));
  if (ticket === latest) await answer(entries.length);
}

function popcount(mask) {
  let count = 0;
  for (; mask; mask &= mask - 1) count++;
  return count;
}

function item([location, title, text, boost, tags], score, mask, wanted) {
  const terms = {};
  const marks = [];
  wanted.forEach((word, position) => {
    const found = Boolean(mask & (1 << Math.min(position, 30)));
    terms[word] = found;
    if (found) marks.push(word);
  });
  const found = { location, title: highlight(title, marks), text: highlight(text, marks), boost, score, terms };
  if (tags) found.tags = tags.map(tag => highlight(tag, marks));  // Material prints tags as HTML: escaped, marked
  return found;
}

addEventListener("message", async event => {
  const message = event.data;
  switch (message.type) {
    case SETUP:
      suggestWanted = Boolean(message.data && message.data.options && message.data.options.suggest);
      loadMeta().catch(() => {});
      postMessage({ type: READY });
      break;
    case QUERY: {
      const ticket = ++latest;  // an older query still loading is dropped
      try {
        await search(String(message.data || ""), ticket);
      } catch (error) {
        console.warn(`search: ${error}`);
        if (ticket === latest) postMessage({ type: RESULT, data: { items: [] } });
      }
      break;
    }
    default:
      break;
  }
});
