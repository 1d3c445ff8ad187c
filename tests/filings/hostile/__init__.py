"""Generators of good and hostile uploads, made with Pillow (and by hand where Pillow refuses to make them):
nothing binary is committed."""
