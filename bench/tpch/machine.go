package tpch

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes where a benchmark ran.
type Machine struct {
	CPUs      int
	CPUModel  string
	MemoryGiB float64
	GoVersion string
	OS        string
	// LoadAverage is /proc/loadavg's 1, 5 and 15 minute figures when the
	// run started: timings on a busy machine are only comparable with care.
	LoadAverage string
}

// DescribeMachine reads the CPU model and memory from /proc; fields it cannot
// read are left empty rather than guessed.
func DescribeMachine() Machine {
	m := Machine{
		CPUs:      runtime.NumCPU(),
		GoVersion: runtime.Version(),
		OS:        runtime.GOOS + "/" + runtime.GOARCH,
	}
	m.CPUModel = procField("/proc/cpuinfo", "model name")
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAverage = strings.Join(f[:3], " ")
		}
	}
	if mem := procField("/proc/meminfo", "MemTotal"); mem != "" {
		if kb, err := strconv.ParseFloat(strings.TrimSuffix(mem, " kB"), 64); err == nil {
			m.MemoryGiB = kb / (1 << 20)
		}
	}
	return m
}

func (m Machine) String() string {
	model := m.CPUModel
	if model == "" {
		model = "unknown CPU"
	}
	s := fmt.Sprintf("%d CPUs (nproc), %s, %.1f GiB RAM, %s, %s", m.CPUs, model, m.MemoryGiB, m.OS, m.GoVersion)
	if m.LoadAverage != "" {
		s += ", load average " + m.LoadAverage
	}
	return s
}

// procField returns the value of the first "key : value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(name) == key {
			return strings.TrimSpace(value)
		}
	}
	return ""
}
