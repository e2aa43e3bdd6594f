package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sp404agent/sp404agent/internal/library"
)

const kitColumns = `id, name, device, bpm, bank_tempos, bank_volumes, created_at, updated_at,
 (SELECT COUNT(*) FROM kit_pads p WHERE p.kit_id = kits.id)`

func scanKit(row scanner) (*library.Kit, error) {
	var (
		k               library.Kit
		tempos, volumes string
	)
	if err := row.Scan(&k.ID, &k.Name, &k.Device, &k.BPM, &tempos, &volumes, &k.CreatedAt, &k.UpdatedAt, &k.PadCount); err != nil {
		return nil, err
	}
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(tempos), &k.BankTempos); err != nil {
		return nil, fmt.Errorf("kit %d bank_tempos: %w", k.ID, err)
	}
	if err := json.Unmarshal([]byte(volumes), &k.BankVolumes); err != nil {
		return nil, fmt.Errorf("kit %d bank_volumes: %w", k.ID, err)
	}
	return &k, nil
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// CreateKit stores a new, empty kit and sets its id.
func (s *Store) CreateKit(ctx context.Context, k *library.Kit) error {
	tempos, err := jsonString(k.BankTempos)
	if err != nil {
		return err
	}
	volumes, err := jsonString(k.BankVolumes)
	if err != nil {
		return err
	}
	now := stamp()
	err = s.db.write.QueryRowContext(ctx, s.db.rebind(`INSERT INTO kits (name, device, bpm, bank_tempos, bank_volumes,
 device_header, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		k.Name, k.Device, k.BPM, tempos, volumes, nullIfEmpty(k.DeviceHeader), now, now).Scan(&k.ID)
	if err != nil {
		return fmt.Errorf("create kit: %w", err)
	}
	return nil
}

func (s *Store) kitTx(ctx context.Context, q querier, id int64) (*library.Kit, error) {
	k, err := scanKit(q.QueryRowContext(ctx, s.db.rebind(`SELECT `+kitColumns+` FROM kits WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "kit %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load kit %d: %w", id, err)
	}
	return k, nil
}

// Kit loads a kit with its pads in bank and pad order.
func (s *Store) Kit(ctx context.Context, id int64) (*library.Kit, error) {
	k, err := s.kitTx(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	var header sql.NullString
	if err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT device_header FROM kits WHERE id = ?`), id).Scan(&header); err != nil {
		return nil, fmt.Errorf("load kit %d: %w", id, err)
	}
	k.DeviceHeader = header.String
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT p.bank, p.pad, p.sample_id, p.settings, p.device_base,
 s.file_name, s.category, s.duration_s, s.sample_rate, s.bpm
 FROM kit_pads p JOIN samples s ON s.id = p.sample_id WHERE p.kit_id = ? ORDER BY p.bank, p.pad`), id)
	if err != nil {
		return nil, fmt.Errorf("load pads of kit %d: %w", id, err)
	}
	defer rows.Close()
	k.Pads = []library.Pad{}
	for rows.Next() {
		var (
			p        library.Pad
			bank     int
			settings string
			cat      sql.NullString
			bpm      sql.NullFloat64
			base     sql.NullString
		)
		if err := rows.Scan(&bank, &p.Pad, &p.SampleID, &settings, &base, &p.SampleName, &cat, &p.DurationS, &p.SampleRate, &bpm); err != nil {
			return nil, fmt.Errorf("load pads of kit %d: %w", id, err)
		}
		p.Bank, p.Category, p.BPM, p.DeviceBase = library.BankLetter(bank), nullString(cat), nullFloat(bpm), base.String
		if err := json.Unmarshal([]byte(settings), &p.Settings); err != nil {
			return nil, fmt.Errorf("kit %d pad %s%d settings: %w", id, p.Bank, p.Pad, err)
		}
		k.Pads = append(k.Pads, p)
	}
	return k, rows.Err()
}

// Kits lists kits by name, without pads.
func (s *Store) Kits(ctx context.Context, page, limit int) ([]library.Kit, int, error) {
	var total int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM kits`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count kits: %w", err)
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT `+kitColumns+` FROM kits ORDER BY LOWER(name), id LIMIT ? OFFSET ?`),
		limit, (page-1)*limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list kits: %w", err)
	}
	defer rows.Close()
	var out []library.Kit
	for rows.Next() {
		k, err := scanKit(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list kits: %w", err)
		}
		out = append(out, *k)
	}
	return out, total, rows.Err()
}

// UpdateKit applies a validated patch.
func (s *Store) UpdateKit(ctx context.Context, id int64, p library.KitPatch) (*library.Kit, error) {
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.kitTx(ctx, tx, id); err != nil {
			return err
		}
		sets := []string{"updated_at = ?"}
		args := []any{stamp()}
		if p.Name != nil {
			sets, args = append(sets, "name = ?"), append(args, *p.Name)
		}
		if p.Device != nil {
			if *p.Device == library.DeviceSX {
				var n int
				if err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT COUNT(*) FROM kit_pads WHERE kit_id = ? AND pad > 12`), id).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return library.Errorf(library.CodeConflict, "%d pads are on pads 13–16, which the SX does not have: move or clear them first", n)
				}
			}
			sets, args = append(sets, "device = ?"), append(args, *p.Device)
		}
		if p.BPM != nil {
			sets, args = append(sets, "bpm = ?"), append(args, *p.BPM)
		}
		if p.BankTempos != nil {
			v, err := jsonString(*p.BankTempos)
			if err != nil {
				return err
			}
			sets, args = append(sets, "bank_tempos = ?"), append(args, v)
		}
		if p.BankVolumes != nil {
			v, err := jsonString(*p.BankVolumes)
			if err != nil {
				return err
			}
			sets, args = append(sets, "bank_volumes = ?"), append(args, v)
		}
		_, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE kits SET `+strings.Join(sets, ", ")+` WHERE id = ?`), append(args, id)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update kit %d: %w", id, err)
	}
	return s.Kit(ctx, id)
}

// DeleteKit removes a kit and its pads.
func (s *Store) DeleteKit(ctx context.Context, id int64) error {
	res, err := s.db.write.ExecContext(ctx, s.db.rebind(`DELETE FROM kits WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("delete kit %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return library.Errorf(library.CodeNotFound, "kit %d not found", id)
	}
	return nil
}

func (s *Store) touchKit(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE kits SET updated_at = ? WHERE id = ?`), stamp(), id)
	return err
}

// padSettings loads a pad's settings; nil when the pad is empty.
func (s *Store) padSettings(ctx context.Context, q querier, kitID int64, ref library.PadRef) (*library.PadSettings, error) {
	var raw string
	err := q.QueryRowContext(ctx, s.db.rebind(`SELECT settings FROM kit_pads WHERE kit_id = ? AND bank = ? AND pad = ?`),
		kitID, ref.Bank, ref.Pad).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load pad %s: %w", ref, err)
	}
	var st library.PadSettings
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return nil, fmt.Errorf("pad %s settings: %w", ref, err)
	}
	return &st, nil
}

// SetPad fills or replaces a pad in one transaction.
func (s *Store) SetPad(ctx context.Context, kitID int64, ref library.PadRef, sampleID int64,
	build func(cur *library.PadSettings, frames int64) (library.PadSettings, error)) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.kitTx(ctx, tx, kitID); err != nil {
			return err
		}
		var frames int64
		err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT frames FROM samples WHERE id = ?`), sampleID).Scan(&frames)
		if errors.Is(err, sql.ErrNoRows) {
			return library.Errorf(library.CodeNotFound, "sample %d not found", sampleID)
		}
		if err != nil {
			return err
		}
		cur, err := s.padSettings(ctx, tx, kitID, ref)
		if err != nil {
			return err
		}
		st, err := build(cur, frames)
		if err != nil {
			return err
		}
		raw, err := jsonString(st)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.rebind(`INSERT INTO kit_pads (kit_id, bank, pad, sample_id, settings) VALUES (?, ?, ?, ?, ?)
 ON CONFLICT (kit_id, bank, pad) DO UPDATE SET sample_id = excluded.sample_id, settings = excluded.settings,
 device_base = CASE WHEN kit_pads.sample_id = excluded.sample_id THEN kit_pads.device_base END`),
			kitID, ref.Bank, ref.Pad, sampleID, raw)
		if err != nil {
			return fmt.Errorf("set pad %s: %w", ref, err)
		}
		return s.touchKit(ctx, tx, kitID)
	})
}

// AddPads fills pads of a kit in one transaction (an imported kit), with their device records.
func (s *Store) AddPads(ctx context.Context, kitID int64, pads []library.Pad) error {
	return s.writePads(ctx, kitID, pads, false)
}

// ReplacePads writes pads over whatever the kit holds at their places, all or none.
func (s *Store) ReplacePads(ctx context.Context, kitID int64, pads []library.Pad) error {
	return s.writePads(ctx, kitID, pads, true)
}

func (s *Store) writePads(ctx context.Context, kitID int64, pads []library.Pad, replace bool) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		return s.writePadsTx(ctx, tx, kitID, pads, replace)
	})
}

func (s *Store) writePadsTx(ctx context.Context, tx *sql.Tx, kitID int64, pads []library.Pad, replace bool) error {
	for _, p := range pads {
		bank, err := library.ParseBank(p.Bank)
		if err != nil {
			return err
		}
		raw, err := jsonString(p.Settings)
		if err != nil {
			return err
		}
		if replace {
			if _, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM kit_pads WHERE kit_id = ? AND bank = ? AND pad = ?`),
				kitID, bank, p.Pad); err != nil {
				return fmt.Errorf("replace pad %s%d: %w", p.Bank, p.Pad, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO kit_pads (kit_id, bank, pad, sample_id, settings, device_base)
 VALUES (?, ?, ?, ?, ?, ?)`), kitID, bank, p.Pad, p.SampleID, raw, nullIfEmpty(p.DeviceBase)); err != nil {
			return fmt.Errorf("add pad %s%d: %w", p.Bank, p.Pad, err)
		}
	}
	return s.touchKit(ctx, tx, kitID)
}

// ClearPad empties a pad; clearing an empty pad is fine.
func (s *Store) ClearPad(ctx context.Context, kitID int64, ref library.PadRef) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM kit_pads WHERE kit_id = ? AND bank = ? AND pad = ?`),
			kitID, ref.Bank, ref.Pad); err != nil {
			return fmt.Errorf("clear pad %s: %w", ref, err)
		}
		return s.touchKit(ctx, tx, kitID)
	})
}

// MovePad moves a pad, swapping with a filled target when asked.
func (s *Store) MovePad(ctx context.Context, kitID int64, from, to library.PadRef, swap bool) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		row := func(ref library.PadRef) (sampleID int64, settings string, ok bool, err error) {
			err = tx.QueryRowContext(ctx, s.db.rebind(`SELECT sample_id, settings FROM kit_pads WHERE kit_id = ? AND bank = ? AND pad = ?`),
				kitID, ref.Bank, ref.Pad).Scan(&sampleID, &settings)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, "", false, nil
			}
			return sampleID, settings, err == nil, err
		}
		srcSample, srcSettings, ok, err := row(from)
		if err != nil {
			return fmt.Errorf("move pad %s: %w", from, err)
		}
		if !ok {
			return library.Errorf(library.CodeNotFound, "pad %s is empty", from)
		}
		dstSample, dstSettings, filled, err := row(to)
		if err != nil {
			return fmt.Errorf("move pad %s: %w", from, err)
		}
		switch {
		case filled && !swap:
			return library.Errorf(library.CodeConflict, "pad %s is filled: move with swap=true to swap the two pads", to)
		case filled:
			// Swap the contents; the keys stay, so the primary key never clashes.
			set := s.db.rebind(`UPDATE kit_pads SET sample_id = ?, settings = ? WHERE kit_id = ? AND bank = ? AND pad = ?`)
			if _, err := tx.ExecContext(ctx, set, dstSample, dstSettings, kitID, from.Bank, from.Pad); err != nil {
				return fmt.Errorf("swap pads: %w", err)
			}
			if _, err := tx.ExecContext(ctx, set, srcSample, srcSettings, kitID, to.Bank, to.Pad); err != nil {
				return fmt.Errorf("swap pads: %w", err)
			}
		default:
			if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE kit_pads SET bank = ?, pad = ? WHERE kit_id = ? AND bank = ? AND pad = ?`),
				to.Bank, to.Pad, kitID, from.Bank, from.Pad); err != nil {
				return fmt.Errorf("move pad %s to %s: %w", from, to, err)
			}
		}
		return s.touchKit(ctx, tx, kitID)
	})
}

// SampleUses lists the kit pads a sample is on.
func (s *Store) SampleUses(ctx context.Context, sampleID int64) ([]library.PadUse, error) {
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT k.id, k.name, p.bank, p.pad FROM kit_pads p
 JOIN kits k ON k.id = p.kit_id WHERE p.sample_id = ? ORDER BY LOWER(k.name), k.id, p.bank, p.pad`), sampleID)
	if err != nil {
		return nil, fmt.Errorf("sample uses: %w", err)
	}
	defer rows.Close()
	var out []library.PadUse
	for rows.Next() {
		var u library.PadUse
		var bank int
		if err := rows.Scan(&u.KitID, &u.KitName, &bank, &u.Pad); err != nil {
			return nil, err
		}
		u.Bank = library.BankLetter(bank)
		out = append(out, u)
	}
	return out, rows.Err()
}
