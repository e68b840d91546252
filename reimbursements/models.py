"""Cost reimbursement claims between youth offices (§§ 89 ff. SGB VIII)."""
