-- 好差评 (app/src/evaluation): each completed 办件 with its number, the ratings (one per
-- 办件编号; kept without the person's ID number), the 差评 work orders with their deadline of
-- five working days, and the holiday table the deadline counts with ('holiday' on a weekday,
-- 'workday' on a weekend day worked instead).
CREATE TABLE service_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    summary TEXT NOT NULL,
    completed_at INTEGER NOT NULL
);
CREATE INDEX service_cases_account ON service_cases (account_id, completed_at);

CREATE TABLE service_ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no TEXT NOT NULL UNIQUE,
    service TEXT NOT NULL,
    -- The Beijing month of the rating, for the public figures: 2026-12.
    month TEXT NOT NULL,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    comment TEXT NOT NULL,
    rated_at INTEGER NOT NULL,
    account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE INDEX service_ratings_month ON service_ratings (month, service);

CREATE TABLE work_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id INTEGER NOT NULL UNIQUE REFERENCES service_ratings (id) ON DELETE CASCADE,
    opened_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    -- open → verified (核实) → rectified (整改) → closed (回访)
    state TEXT NOT NULL DEFAULT 'open',
    verified_note TEXT NOT NULL DEFAULT '',
    rectified_note TEXT NOT NULL DEFAULT '',
    visit_note TEXT NOT NULL DEFAULT '',
    closed_at INTEGER NOT NULL DEFAULT 0,
    -- The citizen's rating of the fix (0: none yet).
    fix_level INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX work_orders_state ON work_orders (state, due_at);

CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL
);
