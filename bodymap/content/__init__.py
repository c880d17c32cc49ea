"""What a scene holds: its types, the markers, zones and channels built from the catalog, the headline."""
