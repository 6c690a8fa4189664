-- +goose Up
-- Outcomes the board can judge by (issue 21). A post-trip report gives its
-- case mix without any patient data: counts per RACHS-1 category for the
-- children and per procedure group for the adults, copied here from the
-- report's form when it is submitted (and again when it is corrected).
-- Operative mortality is the deaths in hospital (whenever they occur) and
-- those after discharge within 30 days of surgery: neither bounds the
-- other, only their sum bounds the cases.
CREATE TABLE report_case_mix (
    application_id  bigint NOT NULL REFERENCES reports (application_id) ON DELETE CASCADE,
    age_group       text NOT NULL CHECK (age_group IN ('child', 'adult')),
    category        text NOT NULL,
    cases           integer NOT NULL CHECK (cases >= 0),
    deaths          integer NOT NULL CHECK (deaths >= 0),
    -- Children only: the two parts of the deaths, and the infections.
    deaths_hospital integer CHECK (deaths_hospital >= 0),
    deaths_after    integer CHECK (deaths_after >= 0),
    ssi             integer CHECK (ssi >= 0), -- surgical-site infections
    bsi             integer CHECK (bsi >= 0), -- bloodstream infections
    -- Adults only: the sum of each case's predicted mortality (EuroSCORE II
    -- or STS, reports.adult_score), in expected deaths.
    predicted       numeric(10, 3) CHECK (predicted >= 0),
    PRIMARY KEY (application_id, age_group, category),
    CHECK (deaths <= cases),
    CHECK (ssi <= cases AND bsi <= cases),
    CHECK (predicted <= cases),
    CHECK (CASE age_group
        WHEN 'child' THEN category IN ('1', '2', '3', '4', '5', '6', 'unclassified')
            AND deaths_hospital IS NOT NULL AND deaths_after IS NOT NULL AND deaths = deaths_hospital + deaths_after
            AND ssi IS NOT NULL AND bsi IS NOT NULL AND predicted IS NULL
        ELSE category IN ('coronary', 'valve', 'combined', 'other')
            AND deaths_hospital IS NULL AND deaths_after IS NULL AND ssi IS NULL AND bsi IS NULL
    END)
);

-- The score the adults' predicted mortality comes from, and the optional
-- perfusion measures under PERForm's headings.
ALTER TABLE reports
    ADD COLUMN adult_score text CHECK (adult_score IN ('euroscore2', 'sts')),
    ADD COLUMN perf_bypass_cases integer CHECK (perf_bypass_cases >= 0),
    ADD COLUMN perf_bypass_minutes integer CHECK (perf_bypass_minutes BETWEEN 0 AND 2000),
    ADD COLUMN perf_clamp_minutes integer CHECK (perf_clamp_minutes BETWEEN 0 AND 2000),
    ADD COLUMN perf_transfused integer CHECK (perf_transfused >= 0),
    ADD COLUMN perf_lowest_hct numeric(4, 1) CHECK (perf_lowest_hct BETWEEN 5 AND 60),
    -- a case's cross-clamp time is within its bypass time, so the medians are too
    ADD CHECK (perf_clamp_minutes IS NULL OR perf_bypass_minutes IS NULL OR perf_clamp_minutes <= perf_bypass_minutes),
    ADD CHECK (perf_transfused IS NULL OR perf_bypass_cases IS NULL OR perf_transfused <= perf_bypass_cases);

-- The in-hospital mortality expected in each RACHS-1 category, in percent,
-- with its source; admins change it (audited). NULL: no reference, the
-- category's cases are left out of the expected deaths and the pages say so.
CREATE TABLE reference_mortality (
    category   smallint PRIMARY KEY CHECK (category BETWEEN 1 AND 6),
    percent    numeric(5, 2) CHECK (percent BETWEEN 0 AND 100),
    source     text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
    updated_by bigint REFERENCES users,
    updated_at timestamptz NOT NULL
);

INSERT INTO reference_mortality (category, percent, source, updated_at)
SELECT c, p, 'Jenkins KJ et al., Consensus-based method for risk adjustment for surgery for congenital heart disease (RACHS-1), J Thorac Cardiovasc Surg 2002;123:110-8', now()
FROM (VALUES (1, 0.4), (2, 3.8), (3, 8.5), (4, 19.4), (5, NULL), (6, 47.7)) AS v (c, p);

-- +goose Down
DROP TABLE reference_mortality;
ALTER TABLE reports
    DROP COLUMN perf_lowest_hct, DROP COLUMN perf_transfused, DROP COLUMN perf_clamp_minutes,
    DROP COLUMN perf_bypass_minutes, DROP COLUMN perf_bypass_cases, DROP COLUMN adult_score;
DROP TABLE report_case_mix;
