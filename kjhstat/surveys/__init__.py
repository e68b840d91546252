"""The surveys of the KJH statistics; importing this package registers each of them."""
