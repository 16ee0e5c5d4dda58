package catalog

import (
	"slices"

	"github.com/pqdb/pqdb/pgerr"
)

// Enums. A value of an enum type is one of the type's labels; values
// order by the labels' declared order, not by their text. A Type of Kind
// Enum names its enum (EnumRef) but does not carry the labels: they live
// in the UserType of the catalog, which can gain and rename labels, and
// the planner reads them from the catalog each statement works with.
// Everything that needs only the label text (storage, hashing, equality,
// the wire formats) treats an enum value as its label; what needs the
// order or the set of labels (comparisons other than equality, sorting,
// min and max, reading text as an enum) is given the labels by the
// planner.
//
// Each label also has an OID and a float4 sort order, as in pg_enum: the
// sort orders follow PostgreSQL's AddEnumLabel, so a future pg_enum shows
// the numbers PostgreSQL would.

// EnumRef identifies an enum type inside a Type: its OID and its name
// (format_type's, which messages print). Its array type's OID is OID+1.
type EnumRef struct {
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
}

// ArrayOID is the OID of the array type of the enum.
func (r EnumRef) ArrayOID() uint32 { return r.OID + 1 }

// HasEnum reports whether t is an enum type or an array of one: a type
// whose values depend on an enum's labels.
func (t Type) HasEnum() bool {
	return t.Kind == Enum || t.Kind == Array && t.Elem == Enum
}

// EnumLabel is one value of an enum type, as a row of pg_enum.
type EnumLabel struct {
	OID       int64   `json:"oid"`
	Label     string  `json:"label"`
	SortOrder float32 `json:"sort_order"`
}

// MaxEnumLabelLength is the longest label in bytes (NAMEDATALEN-1).
const MaxEnumLabelLength = 63

// CheckEnumLabel rejects a label PostgreSQL cannot store.
func CheckEnumLabel(label string) error {
	if len(label) > MaxEnumLabelLength {
		e := pgerr.New(pgerr.InvalidName, "invalid enum label \"%s\"", label)
		e.Detail = "Labels must be 63 bytes or less."
		return e
	}
	return nil
}

// LabelIndex is the position of label in the enum's sort order, or -1.
func (u *UserType) LabelIndex(label string) int {
	return slices.IndexFunc(u.Labels, func(l EnumLabel) bool { return l.Label == label })
}

// LabelTexts returns the labels in sort order.
func (u *UserType) LabelTexts() []string {
	out := make([]string, len(u.Labels))
	for i, l := range u.Labels {
		out[i] = l.Label
	}
	return out
}

// CheckLabel is enum_in's check: s must be one of the labels.
func (u *UserType) CheckLabel(s string) error {
	if u.LabelIndex(s) < 0 {
		return ErrInvalidEnumLabel(u.Name, s)
	}
	return nil
}

// CheckValue is CheckLabel for a Datum of the enum or of an array of it,
// which was read without the labels: each label must be one of u's.
func (u *UserType) CheckValue(v Datum) error {
	switch v := v.(type) {
	case string:
		return u.CheckLabel(v)
	case ArrayValue:
		for _, e := range v {
			if err := u.CheckValue(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// ErrInvalidEnumLabel is enum_in's error for text that is no label of
// the enum named enum.
func ErrInvalidEnumLabel(enum, s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input value for enum %s: \"%s\"", enum, s)
}

// AddLabel inserts label with OID oid at the end of the enum, or before
// or after the existing label neighbor (after when after is true),
// numbering its sort order as PostgreSQL's AddEnumLabel does. It fails
// with 42710 when the label exists and with 22023 when neighbor does not.
func (u *UserType) AddLabel(label string, oid int64, neighbor string, after bool) error {
	if err := CheckEnumLabel(label); err != nil {
		return err
	}
	if u.LabelIndex(label) >= 0 {
		return pgerr.New(pgerr.DuplicateObject, "enum label \"%s\" already exists", label)
	}
	n := len(u.Labels)
	if neighbor == "" {
		order := float32(1)
		if n > 0 {
			order = u.Labels[n-1].SortOrder + 1
		}
		u.Labels = append(u.Labels, EnumLabel{OID: oid, Label: label, SortOrder: order})
		return nil
	}
	nbr := u.LabelIndex(neighbor)
	if nbr < 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "\"%s\" is not an existing enum label", neighbor)
	}
	at, other := nbr, nbr-1
	if after {
		at, other = nbr+1, nbr+1
	}
	var order float32
	switch {
	case other < 0:
		order = u.Labels[nbr].SortOrder - 1
	case other >= n:
		order = u.Labels[nbr].SortOrder + 1
	default:
		a, b := u.Labels[nbr].SortOrder, u.Labels[other].SortOrder
		order = (a + b) / 2
		if order == a || order == b {
			// No float4 lies between them: renumber 1..n, as
			// RenumberEnumType does, and take the midpoint then.
			for i := range u.Labels {
				u.Labels[i].SortOrder = float32(i + 1)
			}
			order = (u.Labels[nbr].SortOrder + u.Labels[other].SortOrder) / 2
		}
	}
	u.Labels = slices.Insert(u.Labels, at, EnumLabel{OID: oid, Label: label, SortOrder: order})
	return nil
}

// RenameLabel renames the label from to to, keeping its place and OID.
func (u *UserType) RenameLabel(from, to string) error {
	if err := CheckEnumLabel(to); err != nil {
		return err
	}
	i := u.LabelIndex(from)
	if i < 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "\"%s\" is not an existing enum label", from)
	}
	if u.LabelIndex(to) >= 0 {
		return pgerr.New(pgerr.DuplicateObject, "enum label \"%s\" already exists", to)
	}
	u.Labels[i].Label = to
	return nil
}
