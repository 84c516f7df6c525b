"""Search that scales: a split index the browser reads in pieces, behind Material's own search box."""
