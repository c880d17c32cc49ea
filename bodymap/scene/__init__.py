"""Building a complaint's or the atlas's scene from the layers below."""
