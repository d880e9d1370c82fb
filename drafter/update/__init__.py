"""Keeping a filed reply current: figures that remember their source (provenance), `drafter update`
for new periods (加期), and tracked-change redlines."""
