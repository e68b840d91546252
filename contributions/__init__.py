"""Parents' and young people's cost contributions to placements (§§ 91–94 SGB VIII)."""
