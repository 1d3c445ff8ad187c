"""The applicant's pages, one module per part: start (验证备案类型), wizard, materials, orders (status pages)."""
