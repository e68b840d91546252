"""Network: partners in the Sozialräume, their offers, Sozialraum conferences."""
