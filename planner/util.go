package planner

import (
	"fmt"
	"strconv"
)

func typeName(v any) string { return fmt.Sprintf("%T", v) }

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
