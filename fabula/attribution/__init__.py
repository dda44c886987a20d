"""Learned pieces of speaker attribution (issue 4): a candidate ranker trained on LitBank."""
