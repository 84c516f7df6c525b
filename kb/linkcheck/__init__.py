"""`kb check`: every link, recording and quote checked against its source, safely and politely.

plan         which URLs to check, cited by which entries at which YAML positions, and what each claims
settings     timeouts, retries, concurrency and the Wayback API, in one value
links        one URL over HTTP: HEAD then GET, retries with backoff, Retry-After, redirects
recordings   one recording through yt-dlp (kb.media), and its captions
text         the words of a statement on a web page (normalised, elisions allowed)
captions     WebVTT/SRT cues and a fuzzy search for words near a time
archive      the Wayback Machine availability API for a broken link
observation  what the network said about one URL (what the cache stores)
cache        an append-only journal under .kb-cache/, compacted atomically
schedule     concurrency across hosts with a limit per host
engine       plan -> cache -> network -> observations
evaluate     observations judged against the entries: findings, and Problems at entry lines
report       JSON records, the summary table and the progress bar

All network access goes through kb.http (and kb.media, which routes yt-dlp through kb.http).
"""
