"""The draw list: the scene as paths, circles, text and groups for any backend."""
