"""All SQL lives here. Functions take a Session by keyword and never commit:
the calling service owns the transaction."""
