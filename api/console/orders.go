package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
	"github.com/gin-gonic/gin"
)

// fieldCommentRows is how many field-comment rows the decision form offers.
const fieldCommentRows = 3

var china = time.FixedZone("CST", 8*3600)

// queue lists orders by status, province, type and waiting time, a page at a time.
func (c *Console) queue(ctx *gin.Context) {
	q := review.QueueQuery{Status: ctx.Query("status"), Province: ctx.Query("province"), Type: ctx.Query("type"),
		Cursor: ctx.Query("cursor"), Limit: 20}
	if d := ctx.Query("waiting_since"); d != "" {
		t, err := time.ParseInLocation("2006-01-02", d, china)
		if err != nil {
			c.fail(ctx, kernel.FieldErrors{"waiting_since": kernel.CodeInvalid}, "/console")
			return
		}
		t = t.Add(24*time.Hour - time.Nanosecond)
		q.WaitingSince = &t
	}
	page, err := c.cfg.Reviews.Queue(ctx.Request.Context(), q)
	if err != nil {
		c.fail(ctx, err, "/console")
		return
	}
	next := ""
	if page.NextCursor != "" {
		v := ctx.Request.URL.Query()
		v.Set("cursor", page.NextCursor)
		next = "/console?" + v.Encode()
	}
	status := q.Status
	if status == "" {
		status = string(filing.StatusPendingReview)
	}
	c.render(ctx, http.StatusOK, "queue.html", map[string]any{"Items": page.Items, "Next": next,
		"Filter":   map[string]string{"status": status, "province": q.Province, "type": q.Type, "waiting_since": ctx.Query("waiting_since")},
		"Statuses": orderStatuses, "Types": orderTypes, "Now": c.cfg.Now()})
}

var orderStatuses = []filing.OrderStatus{filing.StatusPendingReview, filing.StatusPendingBureau, filing.StatusSMSVerifying,
	filing.StatusBureauReviewing, filing.StatusNeedsChanges, filing.StatusApproved, filing.StatusRejected,
	filing.StatusBureauRejected, filing.StatusReturned}

var orderTypes = []filing.OrderType{filing.OrderNewFiling, filing.OrderNewService, filing.OrderNewAccess,
	filing.OrderChangeSubject, filing.OrderChangeService, filing.OrderChangeBoth, filing.OrderTransfer, filing.OrderMigrate,
	filing.OrderClaim, filing.OrderCancelService, filing.OrderCancelSubject, filing.OrderCancelAccess}

func orderID(ctx *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(ctx.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

// withOrder reads the order id of the URL and hands it to page; an id that does not parse goes back
// to the queue with "not found".
func (c *Console) withOrder(page func(ctx *gin.Context, id int64)) gin.HandlerFunc {
	return func(ctx *gin.Context) {
		id, ok := orderID(ctx)
		if !ok {
			c.fail(ctx, kernel.ErrNotFound, "/console")
			return
		}
		page(ctx, id)
	}
}

// order shows one order: its masked proposal, the diff, materials, verifications, history and
// the forms that fit its status.
func (c *Console) order(ctx *gin.Context, id int64) {
	v, err := c.cfg.Reviews.View(ctx.Request.Context(), id)
	if err != nil {
		c.fail(ctx, err, "/console")
		return
	}
	me := staff(ctx)
	c.render(ctx, http.StatusOK, "order.html", map[string]any{
		"V": v, "Order": toOrderView(v.Order), "Done": doneMessages[ctx.Query("done")],
		"ClaimedByMe":    v.Claim.ReviewerID == me.UserID,
		"ClaimedByOther": v.Claim.ReviewerID != 0 && v.Claim.ReviewerID != me.UserID,
		"FirstReview":    v.Order.Status == filing.StatusPendingReview,
		"PendingBureau":  v.Order.Status == filing.StatusPendingBureau,
		"BureauPending":  v.Order.Status == filing.StatusSMSVerifying || v.Order.Status == filing.StatusBureauReviewing,
		"Reasons":        catalog.ReasonsIn(catalog.ScopeFirstReview),
		"BureauReasons":  catalog.ReasonsIn(catalog.ScopeBureau),
		"FieldNames":     fieldNames(v), "Rows": make([]struct{}, fieldCommentRows),
	})
}

// doneMessages confirm the action a form just took; the redirect names it by key.
var doneMessages = map[string]string{"claim": "已领取该订单，30 分钟内有效。", "decision": "审核结果已提交。",
	"bureau": "已提交管局，短信核验已开始。", "result": "管局结果已记录。"}

// fieldNames suggests the fields a comment can point at: the diffed ones and the main ones.
func fieldNames(v review.ReviewView) []string {
	names := []string{"subject.name", "subject.cert_number", "subject.contact_address", "subject.principal"}
	for _, ch := range v.Changes {
		names = append(names, ch.Field)
	}
	for i := range v.Order.Proposal.Services {
		names = append(names, fmt.Sprintf("services.%d.name", v.Order.Proposal.Services[i].ID),
			fmt.Sprintf("services.%d.domains", v.Order.Proposal.Services[i].ID))
	}
	return names
}

func (c *Console) after(ctx *gin.Context, id int64, done string, err error) {
	back := fmt.Sprintf("/console/orders/%d", id)
	if err != nil {
		c.fail(ctx, err, back)
		return
	}
	ctx.Redirect(http.StatusSeeOther, back+"?done="+url.QueryEscape(done))
}

func (c *Console) claim(ctx *gin.Context, id int64) {
	_, err := c.cfg.Reviews.Claim(ctx.Request.Context(), staff(ctx).UserID, id)
	c.after(ctx, id, "claim", err)
}

// decide reads the decision form: outcome, reason checkboxes, a comment and field-comment rows.
func (c *Console) decide(ctx *gin.Context, id int64) {
	d := review.Decision{Outcome: ctx.PostForm("outcome"), Reasons: ctx.PostFormArray("reasons"), Comment: ctx.PostForm("comment")}
	fields, texts := ctx.PostFormArray("field"), ctx.PostFormArray("field_comment")
	for i := range min(len(fields), len(texts)) {
		f, t := strings.TrimSpace(fields[i]), strings.TrimSpace(texts[i])
		if f == "" && t == "" {
			continue
		}
		d.FieldComments = append(d.FieldComments, filing.FieldComment{Field: f, Message: t})
	}
	_, err := c.cfg.Reviews.Decide(ctx.Request.Context(), staff(ctx).UserID, id, d)
	c.after(ctx, id, "decision", err)
}

func (c *Console) handToBureau(ctx *gin.Context, id int64) {
	_, err := c.cfg.Reviews.HandToBureau(ctx.Request.Context(), staff(ctx).UserID, id)
	c.after(ctx, id, "bureau", err)
}

func (c *Console) bureauResult(ctx *gin.Context, id int64) {
	approved := ctx.PostForm("approved")
	if approved != "true" && approved != "false" {
		c.fail(ctx, kernel.FieldErrors{"approved": kernel.CodeMissing}, fmt.Sprintf("/console/orders/%d", id))
		return
	}
	actor := filing.Actor{Kind: filing.ActorReviewer, ID: staff(ctx).UserID}
	_, err := c.cfg.Reviews.RecordBureauResult(ctx.Request.Context(), actor, id, review.BureauResult{Approved: approved == "true",
		Reasons: ctx.PostFormArray("reasons"), Comment: ctx.PostForm("comment")})
	c.after(ctx, id, "result", err)
}
