from django.urls import path

from decisions.views import family, officer, reading

app_name = "decisions"

urlpatterns = [
    path("<uuid:review_id>/decision/", reading.notice, name="notice"),
    path("<uuid:review_id>/decision/record/", officer.record, name="record"),
    path("<uuid:review_id>/decision/record/<slug:outcome>/", officer.record_outcome,
         name="record_outcome"),
    path("<uuid:review_id>/decision/final-plan/", officer.final_plan, name="final_plan"),
    path("<uuid:review_id>/decision/not-amending/", officer.not_amending, name="not_amending"),
    path("<uuid:review_id>/decision/disagreement/", officer.disagreement, name="disagreement"),
    path("<uuid:review_id>/decision/tribunal-order/", officer.tribunal_order,
         name="tribunal_order"),
    path("<uuid:review_id>/decision/reply/", family.family_step, {"step": "reply"},
         name="reply"),
    path("<uuid:review_id>/decision/disagree/", family.family_step, {"step": "disagree"},
         name="disagree"),
    path("<uuid:review_id>/decision/mediation/", family.family_step, {"step": "mediation"},
         name="mediation"),
    path("<uuid:review_id>/decision/appeal/", family.family_step, {"step": "appeal"},
         name="appeal"),
    path("<uuid:review_id>/plan/<int:number>/", reading.plan_version, name="plan_version"),
]
