package bot

import (
	"cmp"
	"slices"
)

// SyncDiff is what a directory sync changes in what the store knows of a
// platform's directory: the dry run prints it, a real sync writes it.
type SyncDiff struct {
	AddedDepartments   []SyncedDepartment
	ChangedDepartments []SyncedDepartment // renamed, or back after being gone
	GoneDepartments    []SyncedDepartment
	Added              []SyncedPerson
	Changed            []SyncedPerson // renamed, moved, or back after being gone
	Gone               []SyncedPerson
	// Was holds the stored record of each changed person, for showing
	// what changed.
	Was map[Identity]SyncedPerson
}

// Empty reports whether the sync changes nothing.
func (d SyncDiff) Empty() bool {
	return len(d.AddedDepartments)+len(d.ChangedDepartments)+len(d.GoneDepartments)+
		len(d.Added)+len(d.Changed)+len(d.Gone) == 0
}

// DiffSynced compares what is stored (old, gone entries included) with
// what the platforms answered now (read): what is in read and not in old
// is added, what differs is changed, what old lists and read does not is
// gone. Only the platforms read lists are compared, so a sync of DingTalk
// alone never marks Slack's accounts gone. Every list is sorted by
// account.
func DiffSynced(old, read Synced) SyncDiff {
	var d SyncDiff
	platforms := read.Platforms()
	for _, sd := range read.Departments {
		if !slices.Contains(platforms, sd.Platform) {
			platforms = append(platforms, sd.Platform)
		}
	}
	oldDepts := map[string]SyncedDepartment{}
	for _, sd := range old.Departments {
		oldDepts[sd.Key()] = sd
	}
	seen := map[string]bool{}
	for _, sd := range read.Departments {
		seen[sd.Key()] = true
		sd.Gone = false
		was, ok := oldDepts[sd.Key()]
		switch {
		case !ok:
			d.AddedDepartments = append(d.AddedDepartments, sd)
		case was.Gone || was.Name != sd.Name:
			d.ChangedDepartments = append(d.ChangedDepartments, sd)
		}
	}
	for _, sd := range old.Departments {
		if !sd.Gone && !seen[sd.Key()] && slices.Contains(platforms, sd.Platform) {
			sd.Gone = true
			d.GoneDepartments = append(d.GoneDepartments, sd)
		}
	}
	oldPeople := map[Identity]SyncedPerson{}
	for _, p := range old.People {
		oldPeople[p.Account] = p
	}
	here := map[Identity]bool{}
	for _, p := range read.People {
		here[p.Account] = true
		p.Gone = false
		p.Departments, p.Leads = sortedSet(p.Departments), sortedSet(p.Leads)
		was, ok := oldPeople[p.Account]
		switch {
		case !ok:
			d.Added = append(d.Added, p)
		case was.Gone || was.Name != p.Name || !slices.Equal(was.Departments, p.Departments) || !slices.Equal(was.Leads, p.Leads) ||
			was.Email != p.Email || was.Mobile != p.Mobile:
			d.Changed = append(d.Changed, p)
			if d.Was == nil {
				d.Was = map[Identity]SyncedPerson{}
			}
			d.Was[p.Account] = was
		}
	}
	for _, p := range old.People {
		if !p.Gone && !here[p.Account] && slices.Contains(platforms, p.Account.Platform) {
			p.Gone = true
			d.Gone = append(d.Gone, p)
		}
	}
	byDept := func(a, b SyncedDepartment) int { return cmp.Compare(a.Key(), b.Key()) }
	byPerson := func(a, b SyncedPerson) int {
		return cmp.Or(cmp.Compare(a.Account.Platform, b.Account.Platform), cmp.Compare(a.Account.ID, b.Account.ID))
	}
	for _, l := range []*[]SyncedDepartment{&d.AddedDepartments, &d.ChangedDepartments, &d.GoneDepartments} {
		slices.SortFunc(*l, byDept)
	}
	for _, l := range []*[]SyncedPerson{&d.Added, &d.Changed, &d.Gone} {
		slices.SortFunc(*l, byPerson)
	}
	return d
}

// sortedSet is s sorted without repeats (nil for none), the form a
// synced person's department lists are stored and compared in.
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
