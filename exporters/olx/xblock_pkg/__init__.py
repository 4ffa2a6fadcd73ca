"""Source of the installable XBlock package; exporters.olx.wheel packs it into a wheel."""
