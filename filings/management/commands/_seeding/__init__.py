"""The parts of ``seed_orders`` (the command's docstring says what it writes): ``mix`` is the realistic mix (weights,
names, how long each step takes), ``rows`` turns rows into inserts (ids ahead of the insert, COPY or bulk_create, a
writer beside the generation), ``seeder`` writes one applicant's subjects, orders, events and filed records."""
