"""Offline geocoding of Dutch 4-digit postcodes (PC4)."""
