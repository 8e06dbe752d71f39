-- Signed webhook events the gateway accepted, kept for the timestamp window (gateway.maxSkewSeconds)
-- so that a replay is refused after a gateway restart and by every gateway sharing this database.
CREATE TABLE webhook_replays (
  channel    text        NOT NULL,
  signature  text        NOT NULL,
  -- the event's own signed timestamp: a row older than the window can go, its replay is stale
  event_at   timestamptz NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, signature)
);
CREATE INDEX webhook_replays_event_at ON webhook_replays (event_at);
