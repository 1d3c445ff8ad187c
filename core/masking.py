"""ID numbers in lists are shown masked (DESIGN.md, "Who sees what"): enough to tell two people apart at a glance,
not enough to use the number. A record's own page may show it in full to those allowed to open the record."""


def mask_id_number(number) -> str:
    """Three characters kept in front and two behind, the rest hidden: ``11010519491231002X`` →
    ``110*************2X``. The rule of the identity lookup's masked numbers, so one person looks the same
    everywhere. Five characters or fewer are hidden completely."""
    number = "".join(str(number or "").split()).upper()
    if len(number) <= 5:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


def masked_column(field_name: str, *, label):
    """A column for an admin list (``list_display``) that shows ``field_name`` masked; sorts by the field."""

    def column(obj) -> str:
        return mask_id_number(getattr(obj, field_name))

    column.short_description = label
    column.admin_order_field = field_name
    column.__name__ = f"{field_name}_masked"
    return column
