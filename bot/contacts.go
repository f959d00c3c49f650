package bot

import "slices"

// MatchContacts pairs the contacts named for a request with its assisting
// departments by the departments the people belong to, not by the order
// they were typed in: "研发部、财务部" with "@fiona @ben" gives 财务部 to
// Fiona and 研发部 to Ben. The result is one assignment per department, in
// the departments' order, with no contact where none was named (the
// department's own applies). A person who belongs to none of the
// departments, or more people than one department can take, is refused
// naming the person and the departments asked, on field.
//
// Where the typed order already fits it is kept, so a person in two of the
// departments answers for the one they were typed against.
func (d *Directory) MatchContacts(field string, depts []string, contacts []PersonID) ([]Assignment, error) {
	out := make([]Assignment, len(depts))
	for i, dept := range depts {
		out[i].Department = dept
	}
	// candidates[i] are the indexes of the departments contacts[i] belongs to.
	candidates := make([][]int, len(contacts))
	for i, p := range contacts {
		mine := d.DepartmentsOf(p)
		for j, dept := range depts {
			if slices.Contains(mine, dept) {
				candidates[i] = append(candidates[i], j)
			}
		}
		if len(candidates[i]) == 0 {
			return nil, RefuseField(CodeInvalid, field, "refuse.request.contact_in_no_department",
				Args{"person": Who(p), "departments": deptList(depts)})
		}
	}
	fits := len(contacts) <= len(depts)
	for i := 0; fits && i < len(contacts); i++ {
		fits = slices.Contains(candidates[i], i)
	}
	if fits {
		for i, p := range contacts {
			out[i].Contact = p
		}
		return out, nil
	}
	// holder[j] is the index of the contact given department j, -1 for none;
	// each contact in turn takes a free department, moving earlier ones to
	// another of theirs where that frees one (augmenting paths).
	holder := make([]int, len(depts))
	for j := range holder {
		holder[j] = -1
	}
	var place func(i int, seen []bool) bool
	place = func(i int, seen []bool) bool {
		for _, j := range candidates[i] {
			if seen[j] {
				continue
			}
			seen[j] = true
			if holder[j] < 0 || place(holder[j], seen) {
				holder[j] = i
				return true
			}
		}
		return false
	}
	for i, p := range contacts {
		if place(i, make([]bool, len(depts))) {
			continue
		}
		j := candidates[i][0]
		return nil, RefuseField(CodeInvalid, field, "refuse.request.contacts_share_department",
			Args{"person": Who(contacts[holder[j]]), "other": Who(p), "department": depts[j], "departments": deptList(depts)})
	}
	for j, i := range holder {
		if i >= 0 {
			out[j].Contact = contacts[i]
		}
	}
	return out, nil
}

func deptList(depts []string) List {
	out := make(List, len(depts))
	for i, d := range depts {
		out[i] = d
	}
	return out
}
