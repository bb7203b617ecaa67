"""The kiosk: the inmates' own screens on a registered touch-screen device (card + PIN)."""
