package forms

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/collabot/collabot/bot"
)

// isSep separates the items of a department or people answer.
func isSep(r rune) bool { return strings.ContainsRune(",，、;；\n", r) }

// joinWords are typed between names ("bob and ben") and name nobody.
var joinWords = []string{"and", "&", "和", "及", "与", "以及", "+"}

func (f *Field) parseDepartments(c Context, s string) (string, error) {
	var names []string
	for _, piece := range strings.FieldsFunc(s, isSep) {
		found, err := f.departmentsIn(c, unbullet(piece))
		if err != nil {
			return "", err
		}
		for _, n := range found {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) > 1 && f.Type == TypeDepartment {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.one_department", nil)
	}
	return f.joined([]string{strings.Join(names, ",")})
}

// departmentsIn reads one piece: a department name or alias, or several
// separated by spaces ("市场部 研发部"), longest match first (of up to
// four words) so that a name with a space in it still resolves.
func (f *Field) departmentsIn(c Context, piece string) ([]string, error) {
	// The directory ignores hidden characters and case; look-alike
	// letters ("研发部" in a compatibility form, "𝐑𝐃") are for NFKC here.
	piece = norm.NFKC.String(visible(piece))
	if piece == "" {
		return nil, nil
	}
	if d, ok := c.Directory.Department(piece); ok {
		return []string{d.Name}, nil
	}
	words := slices.DeleteFunc(strings.Fields(piece), func(w string) bool { return slices.Contains(joinWords, w) })
	var out []string
	for i := 0; i < len(words); {
		j := min(len(words), i+4)
		for ; j > i; j-- {
			if d, ok := c.Directory.Department(strings.Join(words[i:j], " ")); ok {
				out = append(out, d.Name)
				break
			}
		}
		if j == i {
			return nil, f.unknownDepartment(c, words[i])
		}
		i = j
	}
	return out, nil
}

// unknownDepartment is the directory's refusal, which lists the known
// departments, for this field.
func (f *Field) unknownDepartment(c Context, name string) error {
	_, err := c.Directory.ResolveDepartment(quote(name))
	var e *bot.Error
	if !errors.As(err, &e) {
		return f.fail(bot.CodeUnknownDept, "refuse.answer.unknown_department", bot.Args{"name": quote(name)})
	}
	out := *e
	out.Field = f.Key
	return &out
}

func (f *Field) parsePeople(c Context, s string) (string, error) {
	r := &resolver{c: c, f: f, queue: slices.Clone(c.Mentions)}
	ms, err := r.mentions(s)
	if err != nil {
		return "", err
	}
	// Mentions and plain names are read apart but kept in the order typed.
	type hit struct {
		at  int
		ids []bot.PersonID
	}
	var hits []hit
	rest := []byte(s)
	for _, m := range ms {
		hits = append(hits, hit{m.from, []bot.PersonID{m.id}})
		for i := m.from; i < m.to; i++ {
			rest[i] = ','
		}
	}
	for _, span := range piecesRe.FindAllIndex(rest, -1) {
		if len(hits) >= maxPeople {
			return "", r.tooMany()
		}
		found, err := r.piece(unbullet(string(rest[span[0]:span[1]])))
		if err != nil {
			return "", err
		}
		hits = append(hits, hit{span[0], found})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	var ids []string
	for _, h := range hits {
		for _, id := range h.ids {
			if !slices.Contains(ids, string(id)) {
				ids = append(ids, string(id))
			}
		}
	}
	if len(ids) > 1 && f.Type == TypePerson {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.one_person", nil)
	}
	return f.joined([]string{strings.Join(ids, ",")})
}

var piecesRe = regexp.MustCompile(`[^,，、;；\n]+`)

// resolver finds people in text for one answer. queue holds the message's
// @-mentions not yet matched to text, consumed in order.
type resolver struct {
	c     Context
	f     *Field
	queue []bot.Identity
}

// mention is a person @-mentioned at s[from:to].
type mention struct {
	from, to int
	id       bot.PersonID
}

// mentionRe is a typed @name. Platform mention syntax never reaches the
// forms: adapters turn it into "@name" text with the account among the
// message's mentions.
var mentionRe = regexp.MustCompile(`[@＠]([^\s,，、;；:：@＠<>()（）]+)`)

const emailChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-"

var broadcastWords = []string{"all", "所有人", "channel", "here", "everyone"}

// mentions finds typed @names in s, in order. An @name takes the
// message's mention (an account the adapter read from the platform's
// mention) whose person it names, else the next one (DingTalk shows a
// nickname, "@小李", and sends the account apart); without mentions the
// name itself is looked up.
func (r *resolver) mentions(s string) ([]mention, error) {
	var out []mention
	for _, m := range mentionRe.FindAllStringSubmatchIndex(s, -1) {
		if len(out) >= maxPeople {
			return nil, r.tooMany()
		}
		if m[0] > 0 && strings.ContainsRune(emailChars, rune(s[m[0]-1])) {
			continue // an e-mail address, not a mention; "联系@陈斌" is one
		}
		name := group(s, m, 1)
		if slices.Contains(broadcastWords, strings.ToLower(name)) {
			return nil, r.f.fail(bot.CodeInvalid, "refuse.answer.no_everyone", nil)
		}
		if id, ok := r.take(name); ok {
			if p, ok := r.c.Directory.ByIdentity(id.Platform, id.ID); ok {
				out = append(out, mention{m[0], m[2] + nameEnd(name, p), p.ID})
				continue
			}
		}
		p, err := r.one(name, false)
		if err == nil {
			out = append(out, mention{m[0], m[1], p.ID})
			continue
		}
		// Chinese runs on without a space: "@陈斌负责联调".
		p, ok := r.prefix(name)
		if !ok {
			return nil, err
		}
		out = append(out, mention{m[0], m[2] + nameEnd(name, p), p.ID})
	}
	return out, nil
}

// take removes from the queue the mention whose person the typed name
// names, or else the first.
func (r *resolver) take(name string) (bot.Identity, bool) {
	if len(r.queue) == 0 {
		return bot.Identity{}, false
	}
	i := slices.IndexFunc(r.queue, func(id bot.Identity) bool {
		p, ok := r.c.Directory.ByIdentity(id.Platform, id.ID)
		return ok && names(name, p) > 0
	})
	i = max(i, 0)
	id := r.queue[i]
	r.queue = slices.Delete(r.queue, i, i+1)
	return id, true
}

// prefix finds the person whose id or name the text starts with, the
// longest first, where a word can end: "@陈斌负责" is 陈斌, "@bobby" is
// not bob.
func (r *resolver) prefix(text string) (bot.Person, bool) {
	runes := []rune(text)
	for i := min(len(runes)-1, 20); i >= 1; i-- {
		if runes[i] < utf8.RuneSelf && strings.ContainsRune(emailChars, runes[i]) {
			continue
		}
		if p, err := r.one(string(runes[:i]), true); err == nil {
			return p, true
		}
	}
	return bot.Person{}, false
}

// nameEnd is where the mention of p ends in the text after an "@": after
// the longest of p's id, name, words of the name and platform ids that the
// text starts with; the whole text when none does (a DingTalk nickname
// the directory does not know).
func nameEnd(text string, p bot.Person) int {
	if end := names(text, p); end > 0 {
		return end
	}
	return len(text)
}

// names is how much of text, after an "@", names p: the longest of p's
// id, name (also without its spaces, as adapters write a mention), words
// of the name and platform ids that the text starts with; 0 for none.
func names(text string, p bot.Person) int {
	cands := append([]string{string(p.ID), p.Name, strings.ReplaceAll(p.Name, " ", "")}, strings.Fields(p.Name)...)
	for _, id := range p.Identities {
		cands = append(cands, id.ID)
	}
	end := 0
	for _, c := range cands {
		if c != "" && len(c) > end && len(c) <= len(text) && strings.EqualFold(text[:len(c)], c) {
			end = len(c)
		}
	}
	return end
}

// piece reads names without @: the whole piece as one name ("David
// Miller"), else each word as one.
func (r *resolver) piece(piece string) ([]bot.PersonID, error) {
	if piece == "" || slices.Contains(joinWords, piece) {
		return nil, nil
	}
	p, err := r.one(piece, false)
	if err == nil {
		return []bot.PersonID{p.ID}, nil
	}
	words := slices.DeleteFunc(strings.Fields(piece), func(w string) bool { return slices.Contains(joinWords, w) })
	if len(words) < 2 || bot.ErrorCode(err) != bot.CodeUnknownPerson {
		return nil, err
	}
	var ids []bot.PersonID
	for _, w := range words {
		p, err := r.one(w, false)
		if err != nil {
			return nil, err
		}
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// one finds the person a name stands for, trying ever looser readings and
// stopping at the first that finds anyone: directory id, platform account,
// full name, a word of the name, and (unless strict) part of the name.
func (r *resolver) one(name string, strict bool) (bot.Person, error) {
	name = strings.TrimSpace(strings.TrimLeft(name, "@＠"))
	key := fold(name)
	if key == "" {
		return bot.Person{}, r.unknown(name)
	}
	people := r.c.Directory.People
	levels := []func(p bot.Person) bool{
		func(p bot.Person) bool { return fold(string(p.ID)) == key },
		nil, // platform accounts, below
		func(p bot.Person) bool { return fold(p.Name) == key || squash(p.Name) == squash(key) },
		func(p bot.Person) bool { return slices.Contains(strings.Fields(fold(p.Name)), key) },
	}
	if !strict && (utf8.RuneCountInString(key) >= 2 || hasHan(key)) {
		levels = append(levels, func(p bot.Person) bool { return strings.Contains(fold(p.Name), key) })
	}
	for i, match := range levels {
		if i == 1 {
			if p, ok := r.c.byIdentity(name); ok {
				return p, nil
			}
			continue
		}
		var found []bot.Person
		for _, p := range people {
			if match(p) && !slices.ContainsFunc(found, func(x bot.Person) bool { return x.ID == p.ID }) {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		var candidates bot.List
		for _, p := range found {
			candidates = append(candidates, bot.Msg{Key: "refuse.answer.candidate", Args: bot.Args{"name": p.Name, "id": string(p.ID)}})
		}
		return bot.Person{}, r.f.fail(bot.CodeInvalid, "refuse.answer.ambiguous_person", bot.Args{"name": quote(name), "candidates": candidates})
	}
	return bot.Person{}, r.unknown(name)
}

// maxPeople bounds the names in one answer, and so the directory
// lookups a pasted wall of text can cause.
const maxPeople = 200

func (r *resolver) tooMany() error {
	return r.f.fail(bot.CodeInvalid, "refuse.answer.too_many_people", nil)
}

func (r *resolver) unknown(name string) error {
	return r.f.fail(bot.CodeUnknownPerson, "refuse.answer.unknown_person", bot.Args{"name": quote(name)})
}

// byIdentity finds the person behind a raw platform id: on the speaker's
// platform first, then on any, then ignoring case (people retype ids).
func (c Context) byIdentity(id string) (bot.Person, bool) {
	if id == "" || c.Directory == nil {
		return bot.Person{}, false
	}
	for _, pl := range []bot.Platform{c.Platform, bot.Slack, bot.DingTalk, bot.Console} {
		if pl == "" {
			continue
		}
		if p, ok := c.Directory.ByIdentity(pl, id); ok {
			return p, true
		}
	}
	for _, p := range c.Directory.People {
		for _, x := range p.Identities {
			if strings.EqualFold(x.ID, id) {
				return p, true
			}
		}
	}
	return bot.Person{}, false
}

func squash(s string) string { return strings.ReplaceAll(fold(s), " ", "") }

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// ResolvePeople reads a person or people answer given as accounts (a
// modal's user picker, a card's person field): each must be someone the
// directory knows, by platform account or, on the console, by person id.
// The canonical answer is the same as Parse gives for typed names.
func (f *Field) ResolvePeople(c Context, accounts []bot.Identity) (string, error) {
	r := &resolver{c: c, f: f}
	var ids []string
	for _, a := range accounts {
		if len(ids) >= maxPeople {
			return "", r.tooMany()
		}
		p, ok := bot.Person{}, false
		if c.Directory != nil {
			p, ok = c.Directory.ByIdentity(a.Platform, a.ID)
			if !ok && a.Platform == bot.Console {
				p, ok = c.Directory.Person(bot.PersonID(a.ID))
			}
		}
		if !ok {
			return "", r.unknown("@" + a.ID)
		}
		if !slices.Contains(ids, string(p.ID)) {
			ids = append(ids, string(p.ID))
		}
	}
	if len(ids) > 1 && f.Type == TypePerson {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.one_person", nil)
	}
	return f.joined([]string{strings.Join(ids, ",")})
}
