/**
 * The schema, as numbered migrations run in order by both databases (PGlite and PostgreSQL). A
 * migration is never edited once released: a change is a new migration.
 *
 * Every row the indexer writes carries the block it came from, so undoing a reorganisation is one
 * `DELETE … WHERE block_number > ancestor` per table; the API's derived data are views over `events`,
 * which therefore never hold a stale row.
 */
export interface Migration {
  version: number;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    statements: [
      // Indexer state: `cursor` = the last block whose logs are all stored.
      `CREATE TABLE indexer_state (id int PRIMARY KEY CHECK (id = 1), chain_id bigint NOT NULL, cursor bigint NOT NULL)`,
      // Hashes of the blocks the indexer has seen (every block with a log, and the end of every range).
      `CREATE TABLE blocks (number bigint PRIMARY KEY, hash text NOT NULL, timestamp bigint)`,
      // Every event of the suite, decoded: args as JSON (numbers as decimal strings), plus the columns the
      // API filters on, copied out of the args.
      `CREATE TABLE events (
        block_number bigint NOT NULL,
        log_index int NOT NULL,
        block_hash text NOT NULL,
        tx_hash text NOT NULL,
        contract text NOT NULL,
        address text NOT NULL,
        event text NOT NULL,
        args jsonb NOT NULL,
        account text,
        epoch numeric(78, 0),
        check_id numeric(78, 0),
        proposal_id numeric(78, 0),
        PRIMARY KEY (block_number, log_index)
      )`,
      `CREATE INDEX events_event ON events (event, block_number)`,
      `CREATE INDEX events_account ON events (account, block_number)`,
      `CREATE INDEX events_epoch ON events (epoch) WHERE epoch IS NOT NULL`,
      `CREATE INDEX events_check ON events (check_id) WHERE check_id IS NOT NULL`,
      `CREATE INDEX events_proposal ON events (proposal_id) WHERE proposal_id IS NOT NULL`,
      // Each posting of a root, with whether a later RootRevoked of the same epoch undid it.
      `CREATE VIEW epoch_postings AS
        SELECT p.epoch, p.args->>'root' AS root, (p.args->>'totalCompute')::numeric AS total_compute,
               (p.args->>'pool')::numeric AS pool, (p.args->>'activatesAt')::bigint AS activates_at,
               p.block_number, p.log_index, p.tx_hash,
               EXISTS (SELECT 1 FROM events r WHERE r.event = 'RootRevoked' AND r.epoch = p.epoch
                        AND (r.block_number, r.log_index) > (p.block_number, p.log_index)) AS revoked
          FROM events p WHERE p.event = 'RootPosted'`,
      // The latest posting of each epoch.
      `CREATE VIEW epochs AS
        SELECT DISTINCT ON (epoch) * FROM epoch_postings ORDER BY epoch, block_number DESC, log_index DESC`,
      // What the oracle published: each epoch's report and tree, and every validator's leaf and proof.
      `CREATE TABLE epoch_reports (
        epoch numeric(78, 0) NOT NULL,
        root text NOT NULL,
        total_compute numeric(78, 0) NOT NULL,
        chain_id bigint NOT NULL,
        distributor text NOT NULL,
        report jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (epoch, root)
      )`,
      `CREATE TABLE epoch_proofs (
        epoch numeric(78, 0) NOT NULL,
        root text NOT NULL,
        validator text NOT NULL,
        compute numeric(78, 0) NOT NULL,
        proof jsonb NOT NULL,
        PRIMARY KEY (epoch, root, validator)
      )`,
      `CREATE INDEX epoch_proofs_validator ON epoch_proofs (validator)`,
    ],
  },
  {
    version: 2,
    statements: [
      // The transaction sender's journal (services/sender.ts): one row per intent, keyed by what it does
      // (e.g. "postRoot:97:0x…:5"), written BEFORE anything is signed; the signed raw transaction and its
      // hash are stored before it is broadcast, the receipt after it is mined. A key is sent at most once.
      `CREATE TABLE tx_intents (
        key text PRIMARY KEY,
        chain_id bigint NOT NULL,
        sender text NOT NULL,
        target text NOT NULL,
        data text NOT NULL,
        status text NOT NULL CHECK (status IN ('new', 'signed', 'sent', 'mined', 'reverted', 'dropped')),
        nonce bigint,
        raw_tx text,
        tx_hash text,
        block_number bigint,
        block_time bigint,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX tx_intents_open ON tx_intents (chain_id, sender) WHERE status IN ('new', 'signed', 'sent')`,
      // What the guardian concluded about each posted root (it acts once per root).
      `CREATE TABLE guardian_verdicts (
        chain_id bigint NOT NULL,
        distributor text NOT NULL,
        epoch numeric(78, 0) NOT NULL,
        root text NOT NULL,
        verdict text NOT NULL,
        reason text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chain_id, distributor, epoch, root)
      )`,
    ],
  },
  {
    version: 3,
    statements: [
      // The validator agent: how far it has read the chain's logs, per chain, CrossCheck and party.
      `CREATE TABLE agent_state (
        chain_id bigint NOT NULL,
        cross_check text NOT NULL,
        party text NOT NULL,
        cursor bigint NOT NULL,
        PRIMARY KEY (chain_id, cross_check, party)
      )`,
      // Every round the agent was drawn into, and how far it got: drawn → committed → revealed (or missed).
      // The answer is stored before the commit is sent, so a restart commits the same hash.
      `CREATE TABLE agent_checks (
        chain_id bigint NOT NULL,
        cross_check text NOT NULL,
        check_id numeric(78, 0) NOT NULL,
        party text NOT NULL,
        round text NOT NULL CHECK (round IN ('checkers', 'fifth')),
        commit_deadline bigint NOT NULL,
        reveal_deadline bigint NOT NULL,
        drawn_block bigint NOT NULL,
        result_hash text,
        stage text NOT NULL CHECK (stage IN ('drawn', 'committed', 'revealed', 'missed')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chain_id, cross_check, check_id, party)
      )`,
    ],
  },
  {
    version: 4,
    statements: [
      // The guardian judges each POSTING: a root revoked and posted again (same epoch, same root) is a
      // new posting, judged again, not answered from the first one's verdict.
      `ALTER TABLE guardian_verdicts ADD COLUMN posted_at bigint NOT NULL DEFAULT 0`,
      `ALTER TABLE guardian_verdicts DROP CONSTRAINT guardian_verdicts_pkey`,
      `ALTER TABLE guardian_verdicts ADD PRIMARY KEY (chain_id, distributor, epoch, root, posted_at)`,
      // The agent undoes a reorganisation: the hash of its cursor's block, and of each draw's block.
      `ALTER TABLE agent_state ADD COLUMN cursor_hash text`,
      `ALTER TABLE agent_checks ADD COLUMN drawn_hash text`,
    ],
  },
];
