package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"missiongrants/internal/review"
)

// boardPacket sends the board packet as a PDF: every application before the
// board, each with the reviews and discussion this reader may see (none of
// an application they are recused from), in the reader's language.
func (s *Server) boardPacket(c *gin.Context) error {
	ctx, u := c.Request.Context(), currentUser(c)
	apps, err := s.apps.BeforeBoard(ctx, u)
	if err != nil {
		return err
	}
	// A chosen set (?app=…&app=…) of those before the board, or all of them.
	if chosen := c.QueryArray("app"); len(chosen) > 0 {
		apps = slices.DeleteFunc(apps, func(a application.Application) bool { return !slices.Contains(chosen, strconv.FormatInt(a.ID, 10)) })
	}
	k := papers.Packet{Lang: lang(c), Date: s.now(), Reader: u.Name, Agenda: c.Query("agenda")}
	for _, a := range apps {
		can, err := s.apps.Can(ctx, u, a.ID)
		if err != nil {
			return err
		}
		versions, err := s.apps.Versions(ctx, u, a.ID)
		if err != nil || len(versions) == 0 {
			return err
		}
		v := versions[len(versions)-1]
		item := papers.PacketItem{Status: string(a.Status), Recused: errors.Is(can.Why(policy.SeeReviews), policy.ErrRecused),
			Application: papers.Application{Lang: k.Lang, ID: a.ID, Version: v.Number, Organization: a.OrganizationName, Round: a.Round(k.Lang),
				SubmittedAt: v.SubmittedAt, SubmittedBy: v.SubmittedBy, Currency: a.Currency, Form: v.Form}}
		panel, err := s.reviews.Panel(ctx, u, can, a.ID)
		if err != nil {
			return err
		}
		for _, r := range panel.Reviews {
			item.Reviews = append(item.Reviews, papers.Review{Name: r.Name, Weighted: r.WeightedIn(lang(c)), Recommendation: r.Recommendation, Comment: r.Comment})
		}
		item.Mean = review.Mean(panel.Reviews, lang(c)) // as the application's page shows it: the reviews that count
		for _, cm := range panel.Discussion {
			item.Discussion = append(item.Discussion, papers.Comment{Name: cm.AuthorName, At: cm.CreatedAt, Body: cm.Body})
		}
		k.Items = append(k.Items, item)
	}
	pdf, err := s.papers.Packet(k)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="board-packet-%s.pdf"`, s.now().Format("2006-01-02")))
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}
