"""The text of uploaded documents (PDF, office files, plain text), for the search."""
