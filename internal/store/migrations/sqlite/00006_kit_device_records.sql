-- +goose Up
-- The device records a kit was imported from (export.Kit.MK2Header, export.Pad.MK2Base/SXBase as
-- JSON), so importing a project and exporting it again reproduces PADCONF.BIN / PAD_INFO.BIN.
ALTER TABLE kits ADD COLUMN device_header TEXT;
ALTER TABLE kit_pads ADD COLUMN device_base TEXT;

-- +goose Down
ALTER TABLE kit_pads DROP COLUMN device_base;
ALTER TABLE kits DROP COLUMN device_header;
