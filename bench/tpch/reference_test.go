package tpch

import (
	"math/big"
	"sort"
	"strconv"
)

// The answers of Q1 and Q6 computed directly from the generated rows with
// exact integer arithmetic, independent of any SQL engine.

func mustDays(s string) int32 {
	d, err := parseDays(s)
	if err != nil {
		panic(err)
	}
	return d
}

// referenceQ1 is Q1 with DELTA = 90: shipped on or before 1998-09-02.
func referenceQ1(rows []LineItem) Result {
	type group struct {
		qty, base, disc, charge big.Int // scales 2, 2, 4, 6
		discounts               big.Int // scale 2
		count                   int64
	}
	cutoff := mustDays("1998-09-02")
	groups := map[[2]string]*group{}
	var t big.Int
	for _, r := range rows {
		if r.ShipDate > cutoff {
			continue
		}
		key := [2]string{r.ReturnFlag, r.LineStatus}
		g := groups[key]
		if g == nil {
			g = &group{}
			groups[key] = g
		}
		g.qty.Add(&g.qty, big.NewInt(r.Quantity))
		g.base.Add(&g.base, big.NewInt(r.ExtendedPrice))
		t.SetInt64(r.ExtendedPrice * (100 - r.Discount))
		g.disc.Add(&g.disc, &t)
		t.Mul(&t, big.NewInt(100+r.Tax))
		g.charge.Add(&g.charge, &t)
		g.discounts.Add(&g.discounts, big.NewInt(r.Discount))
		g.count++
	}
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	avg := func(sum *big.Int, count int64) Value {
		r := new(big.Rat).SetFrac(sum, big.NewInt(count*100))
		return Value{Text: r.FloatString(20)}
	}
	res := Result{Columns: []Column{
		{Name: "l_returnflag"}, {Name: "l_linestatus"},
		{Name: "sum_qty"}, {Name: "sum_base_price"}, {Name: "sum_disc_price"}, {Name: "sum_charge"},
		{Name: "avg_qty", Approximate: true}, {Name: "avg_price", Approximate: true}, {Name: "avg_disc", Approximate: true},
		{Name: "count_order"},
	}}
	for _, k := range keys {
		g := groups[k]
		res.Rows = append(res.Rows, []Value{
			{Text: k[0]}, {Text: k[1]},
			{Text: formatScaled(&g.qty, 2)}, {Text: formatScaled(&g.base, 2)},
			{Text: formatScaled(&g.disc, 4)}, {Text: formatScaled(&g.charge, 6)},
			avg(&g.qty, g.count), avg(&g.base, g.count), avg(&g.discounts, g.count),
			{Text: strconv.FormatInt(g.count, 10)},
		})
	}
	return res
}

// referenceQ6 is Q6 for 1994, discount 0.05 to 0.07, quantity below 24.
func referenceQ6(rows []LineItem) Result {
	from, to := mustDays("1994-01-01"), mustDays("1995-01-01")
	var sum big.Int
	matched := false
	for _, r := range rows {
		if r.ShipDate >= from && r.ShipDate < to && r.Discount >= 5 && r.Discount <= 7 && r.Quantity < 2400 {
			sum.Add(&sum, big.NewInt(r.ExtendedPrice*r.Discount))
			matched = true
		}
	}
	v := Value{Null: true}
	if matched {
		v = Value{Text: formatScaled(&sum, 4)}
	}
	return Result{Columns: []Column{{Name: "revenue"}}, Rows: [][]Value{{v}}}
}
