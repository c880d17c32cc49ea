"""The printed documents: the patient handout and the clinician reference."""
