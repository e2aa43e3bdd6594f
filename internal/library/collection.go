package library

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Collection kinds.
const (
	KindManual = "manual" // the user adds and orders samples
	KindSmart  = "smart"  // rules decide membership at query time
)

// Collection is a named set of samples, manual or smart, optionally inside a parent collection.
type Collection struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Kind        string    `json:"kind" enum:"manual,smart"`
	Rules       *Rules    `json:"rules,omitempty" doc:"Smart collections only"`
	ParentID    *int64    `json:"parent_id"`
	SampleCount int       `json:"sample_count" doc:"Samples in this collection (its own, not its children's)"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Limits on collections.
const (
	MaxCollectionName = 100
	MaxDescription    = 2000
	MaxBulkIDs        = 1000
)

// CollectionInput creates a collection. Kind defaults to smart when rules are given.
type CollectionInput struct {
	Name        string `json:"name" minLength:"1" maxLength:"100"`
	Description string `json:"description,omitempty" maxLength:"2000"`
	Kind        string `json:"kind,omitempty" enum:"manual,smart,"`
	Rules       *Rules `json:"rules,omitempty"`
	ParentID    *int64 `json:"parent_id,omitempty" minimum:"1"`
}

// CollectionPatch changes a collection; nil fields stay. ParentID 0 moves it to the top level.
type CollectionPatch struct {
	Name        *string `json:"name,omitempty" minLength:"1" maxLength:"100"`
	Description *string `json:"description,omitempty" maxLength:"2000"`
	Rules       *Rules  `json:"rules,omitempty" doc:"Smart collections only"`
	ParentID    *int64  `json:"parent_id,omitempty" minimum:"0" doc:"0 moves the collection to the top level"`
}

func cleanName(name, what string, max int) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Errorf(CodeInvalid, "%s name is empty", what)
	}
	if utf8.RuneCountInString(name) > max {
		return "", Errorf(CodeInvalid, "%s name is longer than %d characters", what, max)
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", Errorf(CodeInvalid, "%s name has control characters", what)
	}
	return name, nil
}

// Validate checks and normalises the input.
func (in *CollectionInput) Validate() error {
	var err error
	if in.Name, err = cleanName(in.Name, "collection", MaxCollectionName); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.Description) > MaxDescription {
		return Errorf(CodeInvalid, "description is longer than %d characters", MaxDescription)
	}
	if in.Kind == "" {
		in.Kind = KindManual
		if in.Rules != nil {
			in.Kind = KindSmart
		}
	}
	switch in.Kind {
	case KindManual:
		if in.Rules != nil {
			return Errorf(CodeInvalid, "a manual collection has no rules")
		}
	case KindSmart:
		if in.Rules == nil {
			in.Rules = &Rules{}
		}
		if err := in.Rules.Validate(); err != nil {
			return err
		}
	default:
		return Errorf(CodeInvalid, "kind must be manual or smart")
	}
	if in.ParentID != nil && *in.ParentID < 1 {
		return Errorf(CodeInvalid, "parent_id must be a collection id")
	}
	return nil
}

// Validate checks and normalises the patch.
func (p *CollectionPatch) Validate() error {
	if p.Name != nil {
		n, err := cleanName(*p.Name, "collection", MaxCollectionName)
		if err != nil {
			return err
		}
		p.Name = &n
	}
	if p.Description != nil && utf8.RuneCountInString(*p.Description) > MaxDescription {
		return Errorf(CodeInvalid, "description is longer than %d characters", MaxDescription)
	}
	if p.Rules != nil {
		if err := p.Rules.Validate(); err != nil {
			return err
		}
	}
	if p.ParentID != nil && *p.ParentID < 0 {
		return Errorf(CodeInvalid, "parent_id must be a collection id, or 0 for the top level")
	}
	return nil
}

func checkIDs(ids []int64) error {
	if len(ids) == 0 {
		return Errorf(CodeInvalid, "sample_ids is empty")
	}
	if len(ids) > MaxBulkIDs {
		return Errorf(CodeInvalid, "at most %d sample ids at once", MaxBulkIDs)
	}
	for _, id := range ids {
		if id < 1 {
			return Errorf(CodeInvalid, "sample id %d is not valid", id)
		}
	}
	return nil
}

// CollectionStore persists collections.
type CollectionStore interface {
	CreateCollection(ctx context.Context, in CollectionInput) (*Collection, error)
	Collection(ctx context.Context, id int64) (*Collection, error)
	// CollectionKind is KindManual or KindSmart; it does not count the samples.
	CollectionKind(ctx context.Context, id int64) (string, error)
	Collections(ctx context.Context, parentID *int64, page, limit int) ([]Collection, int, error)
	UpdateCollection(ctx context.Context, id int64, p CollectionPatch) (*Collection, error)
	DeleteCollection(ctx context.Context, id int64) error
	AddToCollection(ctx context.Context, id int64, sampleIDs []int64) error
	RemoveFromCollection(ctx context.Context, id int64, sampleIDs []int64) error
	CountRules(ctx context.Context, r Rules) (int, error)
}

// CreateCollection makes a manual or smart collection.
func (s *Service) CreateCollection(ctx context.Context, in CollectionInput) (*Collection, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.store.CreateCollection(ctx, in)
}

// Collection returns one collection with its count.
func (s *Service) Collection(ctx context.Context, id int64) (*Collection, error) {
	return s.store.Collection(ctx, id)
}

// CollectionKind returns whether a collection is manual or smart, more cheaply than Collection:
// a smart collection's count evaluates its rules.
func (s *Service) CollectionKind(ctx context.Context, id int64) (string, error) {
	return s.store.CollectionKind(ctx, id)
}

// Collections lists collections, all of them or the children of parentID (0 = top level).
func (s *Service) Collections(ctx context.Context, parentID *int64, page, limit int) (Page[Collection], error) {
	if page < 1 || limit < 1 || limit > MaxPageLimit {
		return Page[Collection]{}, Errorf(CodeInvalid, "page must be ≥ 1 and limit between 1 and %d", MaxPageLimit)
	}
	items, total, err := s.store.Collections(ctx, parentID, page, limit)
	if err != nil {
		return Page[Collection]{}, err
	}
	if items == nil {
		items = []Collection{}
	}
	return Page[Collection]{Items: items, Total: total, Page: page, Limit: limit}, nil
}

// UpdateCollection renames, re-describes, re-rules or moves a collection; moving it under one of
// its own descendants is a conflict.
func (s *Service) UpdateCollection(ctx context.Context, id int64, p CollectionPatch) (*Collection, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return s.store.UpdateCollection(ctx, id, p)
}

// DeleteCollection removes a collection (never its samples); its children move to the top level.
func (s *Service) DeleteCollection(ctx context.Context, id int64) error {
	return s.store.DeleteCollection(ctx, id)
}

// AddToCollection appends samples to a manual collection, in the order given; samples already in
// it stay where they are.
func (s *Service) AddToCollection(ctx context.Context, id int64, sampleIDs []int64) (*Collection, error) {
	if err := checkIDs(sampleIDs); err != nil {
		return nil, err
	}
	if err := s.store.AddToCollection(ctx, id, sampleIDs); err != nil {
		return nil, err
	}
	return s.store.Collection(ctx, id)
}

// RemoveFromCollection takes samples out of a manual collection.
func (s *Service) RemoveFromCollection(ctx context.Context, id int64, sampleIDs []int64) (*Collection, error) {
	if err := checkIDs(sampleIDs); err != nil {
		return nil, err
	}
	if err := s.store.RemoveFromCollection(ctx, id, sampleIDs); err != nil {
		return nil, err
	}
	return s.store.Collection(ctx, id)
}

// CountRules counts the samples rules select (the smart-collection editor's live count).
func (s *Service) CountRules(ctx context.Context, r Rules) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	return s.store.CountRules(ctx, r)
}
