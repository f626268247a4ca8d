"""Evaluation: ROUGE for summaries, sacreBLEU metrics for translations, bootstrap intervals, reports."""
