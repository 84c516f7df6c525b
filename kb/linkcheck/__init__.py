"""`kb check`: every link, recording and quote checked against its source, safely and politely.

plan      which URLs to check, cited by which entries at which YAML positions, and what each claims
links     one URL over HTTP: HEAD then GET, retries with backoff, Retry-After, redirects
media     one recording through yt-dlp (kb.media), and its captions
text      the words of a statement on a web page or in captions (normalised, elisions allowed)
captions  WebVTT/SRT cues and a fuzzy search for words near a time
archive   the Wayback Machine availability API for a broken link
cache     one JSON file per URL under .kb-cache/, written atomically
schedule  concurrency across hosts with a limit per host
engine    plan -> cache -> network -> observations
evaluate  observations -> findings (errors, warnings, notes) and Problems at entry lines
report    JSON records, the summary table and the progress bar
"""
