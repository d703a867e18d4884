"""The lowest Django layer: what every app shares (formats, template tags, components)."""
