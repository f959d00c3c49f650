package engine_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// The collaboration types (configs/templates/types.yaml) end to end in
// the chat, in both languages.

// typedScenario files one collaboration of each type other than the
// project on Monday 2026-11-23: COL-3 a loan bob approves, COL-4 a
// problem ben solves, COL-5 an alignment only ben confirms, COL-6 one
// everyone confirms (as the scenario of every notice numbers them).
const typedScenario = ":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 双十二回归测试人手不足\n需协助部门: 研发部\n" +
	"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用开始日期: 2026-11-24\n使用期限: 2026-12-04\n使用边界: 仅用于回归测试,不参与值班\n\"\"\"\n确认\n" +
	":as bob\n确认 COL-3 承接\n确认\n" +
	":as carol\n\"\"\"\n新建 问题协同\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n影响范围: 约200单\n需协助部门: 研发部\n期望解决时间: 2026-11-27\n\"\"\"\n确认\n" +
	":as ben\n\"\"\"\n解决 COL-4\n根本原因: 支付回调未做幂等\n解决方案: 加幂等校验并退款\n\"\"\"\n确认\n" +
	":as carol\n\"\"\"\n新建 信息同步\n协作主题: 差旅制度更新\n同步内容: 住宿标准调整,1月1日起执行\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-25\n\"\"\"\n确认\n" +
	":as ben\n已阅 COL-5 酒店协议价如何申请?\n" +
	":as carol\n\"\"\"\n新建 信息同步\n协作主题: Q1 规划宣贯\n同步内容: Q1 目标与分工\n需确认部门: 研发部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n" +
	":as ben\n已阅 COL-6\n"

// problemFiled has carol file a problem for 研发部 (COL-1).
func (h *harness) problemFiled() {
	h.t.Helper()
	out := h.chat(":as carol\n\"\"\"\n新建 问题\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n需协助部门: 研发部\n期望解决时间: 下周五\n\"\"\"\n确认\n")
	if c := h.collab(1); c.Type != "problem" || c.Status != bot.StatusAwaitingAck {
		h.t.Fatalf("problem filed: %s %s\n%s", c.Type, c.Status, out)
	}
}

func init() {
	formCases["resolution"] = formCase{(*harness).problemFiled, "ben", "解决 COL-1", "", ""}
}

// markdown is the record sheet of id in lang.
func (h *harness) markdown(id bot.CollabID, lang bot.Lang) string {
	h.t.Helper()
	var b bytes.Buffer
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		c, err := tx.Collaboration(context.Background(), id)
		if err != nil {
			return err
		}
		s, err := record.Read(context.Background(), tx, c, h.cfg.Directory(), h.clock.Now(), h.cfg.Location())
		if err != nil {
			return err
		}
		return s.Markdown(&b, lang)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.String()
}

func mustLackAll(t *testing.T, out string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(out, n) {
			t.Errorf("output has %q:\n%s", n, out)
		}
	}
}
