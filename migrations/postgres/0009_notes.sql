-- Private notes about an outing nobody claimed: who was asked and when,
-- so that nobody is asked twice about one outing and the staff can be
-- told who was.
CREATE TABLE notes (
    offer BIGINT NOT NULL REFERENCES offers (number),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    noted_at BIGINT NOT NULL,
    PRIMARY KEY (offer, person_id)
);
