"""Answering: candidate sentences -> a ranked, scored, calibrated answer or an abstention."""
